// Reliability diagram data and the Murphy decomposition of the Brier score, which split "how wrong"
// into miscalibration (reliability), discrimination (resolution) and the sample's inherent uncertainty.
import { InputError } from '../errors.js';
import type { BinaryForecast } from './types.js';
import { assertBinaryForecasts } from './validate.js';

export interface CalibrationRow {
  lower: number;
  upper: number;
  count: number;
  /** Mean forecast probability in the bin; null when the bin is empty. */
  meanForecast: number | null;
  /** Share of outcomes that happened in the bin; null when the bin is empty. */
  observedRate: number | null;
}

export interface MurphyDecomposition {
  reliability: number;
  resolution: number;
  uncertainty: number;
  brier: number;
}

function assertBins(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new InputError(`bins must be a positive integer, got ${bins}`);
}

/**
 * Index of the bin [k/bins, (k+1)/bins) holding p; p = 1 goes in the last bin (it is closed above).
 * floor(p·bins) can disagree with the k/bins edges by one ulp, so it is nudged to match the edges
 * reported in the table: a forecast is always inside the row it is counted in.
 */
export function binIndex(p: number, bins = 10): number {
  let k = Math.min(bins - 1, Math.floor(p * bins));
  if (k > 0 && p < k / bins) k -= 1;
  if (k < bins - 1 && p >= (k + 1) / bins) k += 1;
  return k;
}

/** `bins` equal-width rows over [0, 1]; counts sum to f.length. Empty input gives all-empty rows. */
export function calibrationTable(f: readonly BinaryForecast[], bins = 10): CalibrationRow[] {
  assertBins(bins);
  assertBinaryForecasts(f);
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumO = new Array<number>(bins).fill(0);
  for (const x of f) {
    const k = binIndex(x.p, bins);
    count[k] = (count[k] as number) + 1;
    sumP[k] = (sumP[k] as number) + x.p;
    sumO[k] = (sumO[k] as number) + x.outcome;
  }
  return calibrationRows(count, sumP, sumO);
}

/** Table rows from per-bin counts and sums (bins equal-width over [0, 1], as many as `count` has). */
export function calibrationRows(count: readonly number[], sumP: readonly number[], sumO: readonly number[]): CalibrationRow[] {
  const bins = count.length;
  return count.map((n, k) => ({
    lower: k / bins,
    upper: (k + 1) / bins,
    count: n,
    meanForecast: n === 0 ? null : (sumP[k] as number) / n,
    observedRate: n === 0 ? null : (sumO[k] as number) / n,
  }));
}

/**
 * Murphy (1973) decomposition over `bins` equal-width bins:
 *   reliability = Σ n_k (p̄_k − ō_k)² / N   (lower is better: how far stated odds are from observed)
 *   resolution  = Σ n_k (ō_k − ō)² / N     (higher is better: how much the bins' outcomes differ)
 *   uncertainty = ō(1 − ō)                  (the sample's own difficulty; not the forecaster's doing)
 * reliability − resolution + uncertainty equals `brier` exactly when every forecast within a bin is the
 * same value. Otherwise brier = reliability − resolution + uncertainty + (1/N) Σ_i [(p_i − p̄_k)² −
 * 2 (p_i − p̄_k)(o_i − ō_k)]: the within-bin variance of p (at most 1/(4·bins²)) minus its covariance
 * with the outcome (near 0 unless outcomes track p inside a bin; at most 2/bins). Both shrink with
 * narrower bins. `brier` is the true Brier score, not the reconstructed sum. Null for no forecasts.
 */
export function murphyDecomposition(f: readonly BinaryForecast[], bins = 10): MurphyDecomposition | null {
  const table = calibrationTable(f, bins);
  const n = f.length;
  if (n === 0) return null;
  let sumO = 0;
  let sumSq = 0;
  for (const x of f) {
    sumO += x.outcome;
    sumSq += (x.p - x.outcome) ** 2;
  }
  return murphyFromTable(table, { n, sumO, sumSq });
}

/** The decomposition from a calibration table and the totals it was built from (n > 0). */
export function murphyFromTable(table: readonly CalibrationRow[], t: { n: number; sumO: number; sumSq: number }): MurphyDecomposition {
  const oBar = t.sumO / t.n;
  let reliability = 0;
  let resolution = 0;
  for (const row of table) {
    if (row.meanForecast === null || row.observedRate === null) continue;
    reliability += row.count * (row.meanForecast - row.observedRate) ** 2;
    resolution += row.count * (row.observedRate - oBar) ** 2;
  }
  return {
    reliability: reliability / t.n,
    resolution: resolution / t.n,
    uncertainty: oBar * (1 - oBar),
    brier: t.sumSq / t.n,
  };
}
