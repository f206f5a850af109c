// Proper scoring rules for binary forecasts (Brier, log) and the base-rate ("climatology") baseline
// they are judged against. Lower is better for every score here except the skill score.
import type { BinaryForecast } from './types.js';
import { assertBinaryForecasts, clipProbability, mean } from './validate.js';

/** Mean of (p − o)² in the 0–1 binary form; null for no forecasts. */
export function brierScore(f: readonly BinaryForecast[]): number | null {
  assertBinaryForecasts(f);
  return mean(f.map((x) => (x.p - x.outcome) ** 2));
}

/**
 * Mean negative natural log-likelihood. p is clipped to [1e-6, 1 − 1e-6] so one confident miss costs
 * at most ln(1e6) ≈ 13.8 instead of making the whole score infinite.
 */
export function logScore(f: readonly BinaryForecast[]): number | null {
  assertBinaryForecasts(f);
  return mean(f.map((x) => logLoss(x.p, x.outcome)));
}

/** One forecast's negative log-likelihood, p clipped as logScore does. */
export function logLoss(p: number, outcome: 0 | 1): number {
  const clipped = clipProbability(p);
  return -(outcome === 1 ? Math.log(clipped) : Math.log(1 - clipped));
}

/** Share of outcomes that were 1 (ō); null for no forecasts. */
export function baseRate(f: readonly BinaryForecast[]): number | null {
  assertBinaryForecasts(f);
  return mean(f.map((x) => x.outcome));
}

/**
 * Brier of always forecasting the sample's own base rate, ō(1 − ō). It uses hindsight (the base rate
 * of this very sample), so it is a strict baseline: beating it means the forecasts discriminate.
 */
export function baseRateBrier(f: readonly BinaryForecast[]): number | null {
  const o = baseRate(f);
  return o === null ? null : o * (1 - o);
}

/**
 * 1 − brier / baseRateBrier: 1 is perfect, 0 is no better than the base rate, negative is worse.
 * Null when empty or when every outcome was the same (baseline 0 makes the ratio meaningless).
 */
export function brierSkillScore(f: readonly BinaryForecast[]): number | null {
  const bs = brierScore(f);
  const ref = baseRateBrier(f);
  if (bs === null || ref === null || ref === 0) return null;
  return 1 - bs / ref;
}
