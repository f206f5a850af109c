// Scores for p10/p50/p90 quantity forecasts: coverage of the 80% interval, the Gneiting–Raftery
// interval score (width plus miss penalties), and log accuracy ratios for bias of the median.
import { InputError } from '../errors.js';
import type { IntervalForecast } from './types.js';
import { assertIntervalForecasts, mean, median } from './validate.js';

/** Share of forecasts with p10 ≤ actual ≤ p90. A calibrated p10–p90 interval hits 80% of the time. */
export function intervalHitRate(f: readonly IntervalForecast[]): number | null {
  assertIntervalForecasts(f);
  return mean(f.map((x) => (x.p10 <= x.actual && x.actual <= x.p90 ? 1 : 0)));
}

/**
 * Gneiting & Raftery (2007) score of a central (1 − α) interval [l, u] given the outcome x:
 *   (u − l) + (2/α)(l − x)·1{x < l} + (2/α)(x − u)·1{x > u}.
 * It is proper: the expected score is minimised by reporting the true α/2 and 1 − α/2 quantiles, so
 * neither a vague interval (wide) nor an overconfident one (missed) can game it. Lower is better;
 * it is in the units of the quantity. α = 0.2 matches a p10–p90 interval.
 */
export function intervalScore(lower: number, upper: number, actual: number, alpha = 0.2): number {
  if (![lower, upper, actual].every(Number.isFinite)) {
    throw new InputError(`interval score needs finite numbers, got ${lower}, ${upper}, ${actual}`);
  }
  if (lower > upper) throw new InputError(`interval lower ${lower} is above upper ${upper}`);
  if (!(alpha > 0 && alpha < 1)) throw new InputError(`alpha must be in (0, 1), got ${alpha}`);
  const penalty = 2 / alpha;
  let score = upper - lower;
  if (actual < lower) score += penalty * (lower - actual);
  if (actual > upper) score += penalty * (actual - upper);
  return score;
}

/** Mean interval score of the p10–p90 intervals; null for no forecasts. */
export function meanIntervalScore(f: readonly IntervalForecast[], alpha = 0.2): number | null {
  assertIntervalForecasts(f);
  return mean(f.map((x) => intervalScore(x.p10, x.p90, x.actual, alpha)));
}

/**
 * ln(p50 / actual) per forecast: 0 is exact, +ln 2 a 2× over-estimate, −ln 2 a 2× under-estimate.
 * Logs make over- and under-estimates by the same factor symmetric, which plain % error does not.
 * Only defined for positive quantities, so zero or negative p50/actual throws instead of giving NaN.
 */
export function logAccuracyRatios(f: readonly IntervalForecast[]): number[] {
  assertIntervalForecasts(f);
  return f.map((x, i) => {
    if (!(x.p50 > 0 && x.actual > 0)) {
      throw new InputError(`forecast ${i}: log accuracy ratio needs p50 > 0 and actual > 0`);
    }
    return Math.log(x.p50 / x.actual);
  });
}

/**
 * Median of the log accuracy ratios (positive = we over-estimate). The median, not the mean, so one
 * wild miss does not define the bot's bias. Null for no forecasts.
 */
export function medianLogAccuracyRatio(f: readonly IntervalForecast[]): number | null {
  return median(logAccuracyRatios(f));
}
