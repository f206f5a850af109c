// Shapes of a scored prediction: a yes/no forecast with its outcome, and a p10/p50/p90 quantity
// forecast with the value that actually happened. Every function in src/accuracy/ consumes these.

/** A probability `p` in [0, 1] that the event happens, and whether it did (1) or not (0). */
export interface BinaryForecast {
  p: number;
  outcome: 0 | 1;
}

/** An 80% central interval (p10..p90) with a median, and the value later observed. */
export interface IntervalForecast {
  p10: number;
  p50: number;
  p90: number;
  actual: number;
}
