// Input checks and small numeric helpers shared by the accuracy modules. Bad data throws InputError
// up front, so a score is never silently NaN; empty input is not an error (callers get null instead).
import { InputError } from '../errors.js';
import type { BinaryForecast, IntervalForecast } from './types.js';

/** Probabilities are clipped to [EPS, 1 − EPS] wherever a log or logit would otherwise be infinite. */
export const EPS = 1e-6;

export function clipProbability(p: number): number {
  return Math.min(1 - EPS, Math.max(EPS, p));
}

export function assertProbability(p: number, what = 'p'): void {
  // `!(p >= 0)` also rejects NaN, which a plain `p < 0` would let through.
  if (!(p >= 0 && p <= 1)) throw new InputError(`${what} must be a probability in [0, 1], got ${p}`);
}

export function assertBinaryForecasts(f: readonly BinaryForecast[]): void {
  f.forEach((x, i) => {
    assertProbability(x.p, `forecast ${i}: p`);
    if (x.outcome !== 0 && x.outcome !== 1) {
      throw new InputError(`forecast ${i}: outcome must be 0 or 1, got ${String(x.outcome)}`);
    }
  });
}

export function assertIntervalForecasts(f: readonly IntervalForecast[]): void {
  f.forEach((x, i) => {
    for (const key of ['p10', 'p50', 'p90', 'actual'] as const) {
      if (!Number.isFinite(x[key])) throw new InputError(`forecast ${i}: ${key} must be finite, got ${x[key]}`);
    }
    // Crossed quantiles mean the forecast itself is malformed; scoring it would reward nonsense.
    if (!(x.p10 <= x.p50 && x.p50 <= x.p90)) {
      throw new InputError(`forecast ${i}: need p10 <= p50 <= p90, got ${x.p10}, ${x.p50}, ${x.p90}`);
    }
  });
}

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Median; for an even count, the mean of the two middle values. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] as number;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] as number) + hi) / 2;
}
