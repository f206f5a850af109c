// One accuracy summary over resolved predictions and estimates: what `report`, App Home and the
// digest show. Brier is the 0–1 binary form throughout.
import { calibrationTable, murphyDecomposition, type CalibrationRow, type MurphyDecomposition } from './calibration.js';
import { intervalHitRate, meanIntervalScore, medianLogAccuracyRatio } from './intervals.js';
import { baseRateBrier, brierScore, logScore } from './scores.js';
import type { BinaryForecast, IntervalForecast } from './types.js';

export interface ResolvedPrediction {
  topic: string;
  failureMode: string;
  knowledgeVersion: string;
  probability: number;
  happened: 0 | 1;
}

export interface ResolvedInterval extends IntervalForecast {
  kind: 'cost' | 'time';
}

export interface IntervalSummary {
  resolved: number;
  /** Share of actuals inside p10–p90; the target is 0.8. */
  hitRate: number | null;
  intervalScore: number | null;
  medianLogAccuracyRatio: number | null;
}

export interface GroupSummary {
  key: string;
  resolved: number;
  brier: number | null;
}

export interface AccuracySummary {
  /** Resolved failure-mode predictions ("didn't adopt" ones are left out). */
  resolved: number;
  brier: number | null;
  baselineBrier: number | null;
  logScore: number | null;
  murphy: MurphyDecomposition | null;
  calibration: CalibrationRow[];
  byTopic: GroupSummary[];
  byFailureMode: GroupSummary[];
  byKnowledgeVersion: GroupSummary[];
  cost: IntervalSummary;
  time: IntervalSummary;
}

function groupBy(rows: readonly ResolvedPrediction[], key: (r: ResolvedPrediction) => string): GroupSummary[] {
  const groups = new Map<string, BinaryForecast[]>();
  for (const r of rows) {
    const k = key(r);
    const list = groups.get(k) ?? [];
    list.push({ p: r.probability, outcome: r.happened });
    groups.set(k, list);
  }
  return [...groups.entries()]
    .map(([k, f]) => ({ key: k, resolved: f.length, brier: brierScore(f) }))
    .sort((a, b) => b.resolved - a.resolved || a.key.localeCompare(b.key));
}

export function intervals(rows: readonly ResolvedInterval[], kind: 'cost' | 'time'): IntervalSummary {
  const f = rows.filter((r) => r.kind === kind && r.actual > 0);
  return {
    resolved: f.length,
    hitRate: intervalHitRate(f),
    intervalScore: meanIntervalScore(f, 0.2),
    medianLogAccuracyRatio: medianLogAccuracyRatio(f),
  };
}

export function summariseAccuracy(predictions: readonly ResolvedPrediction[], estimates: readonly ResolvedInterval[]): AccuracySummary {
  const forecasts: BinaryForecast[] = predictions.map((r) => ({ p: r.probability, outcome: r.happened }));
  return {
    resolved: forecasts.length,
    brier: brierScore(forecasts),
    baselineBrier: baseRateBrier(forecasts),
    logScore: logScore(forecasts),
    murphy: murphyDecomposition(forecasts),
    calibration: calibrationTable(forecasts),
    byTopic: groupBy(predictions, (r) => r.topic),
    byFailureMode: groupBy(predictions, (r) => `${r.topic}/${r.failureMode}`),
    byKnowledgeVersion: groupBy(predictions, (r) => r.knowledgeVersion),
    cost: intervals(estimates, 'cost'),
    time: intervals(estimates, 'time'),
  };
}
