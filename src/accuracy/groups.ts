// Accuracy from running sums instead of rows. The store keeps, per workspace, one row of sums for each
// (topic, failure mode, knowledge version, severity, followed-the-alternative, calibration bin) and a count
// of the consultations behind them, moved in the same transaction as every outcome; the digest reads those
// few hundred rows however many outcomes the workspace has. What comes out agrees with the row-based
// summary (summariseAccuracy, successMetrics) up to floating-point rounding: the tests hold it to that.
import { binIndex, calibrationRows, murphyFromTable, type CalibrationRow } from './calibration.js';
import { logLoss } from './scores.js';
import { emptyTally, successMetricsFromTally, type SeverityLevel, type SuccessMetrics } from './success-metrics.js';
import { intervals, type AccuracySummary, type GroupSummary, type ResolvedInterval } from './summary.js';

const BINS = 10;

export interface ScoringSums {
  n: number;
  sumP: number;
  sumO: number;
  sumSq: number;
  sumLog: number;
}

export interface ScoringKey {
  topic: string;
  failureMode: string;
  knowledgeVersion: string;
  severity: SeverityLevel | null;
  followed: boolean | null;
  /** Calibration bin, 0–9 ([k/10, (k+1)/10)). */
  bin: number;
}

export type ScoringGroup = ScoringKey & ScoringSums;

/** Adopted consultations with at least one resolved failure mode, by whether the asker followed the alternative. */
export interface ScoredConsultations {
  followed: number;
  notFollowed: number;
}

export interface Scoring {
  groups: ScoringGroup[];
  consultations: ScoredConsultations;
}

/** One resolved failure-mode prediction, with everything a group is keyed by. */
export interface ScoredForecast {
  consultationId: string;
  topic: string;
  failureMode: string;
  knowledgeVersion: string;
  severity: SeverityLevel | null;
  followedAlternative: boolean | null;
  probability: number;
  happened: 0 | 1;
}

export const groupKey = (k: ScoringKey): string => JSON.stringify([k.topic, k.failureMode, k.knowledgeVersion, k.severity, k.followed, k.bin]);

/** What one resolved forecast adds to its group's sums. */
export function forecastSums(probability: number, happened: 0 | 1): ScoringSums {
  return { n: 1, sumP: probability, sumO: happened, sumSq: (probability - happened) ** 2, sumLog: logLoss(probability, happened) };
}

function keyOf(f: ScoredForecast): ScoringKey {
  return { topic: f.topic, failureMode: f.failureMode, knowledgeVersion: f.knowledgeVersion, severity: f.severity, followed: f.followedAlternative, bin: binIndex(f.probability, BINS) };
}

const noScoringSums = (): ScoringSums => ({ n: 0, sumP: 0, sumO: 0, sumSq: 0, sumLog: 0 });

/** Adds `s` to `target` (sign −1 takes it out). */
export function addSums(target: ScoringSums, s: ScoringSums, sign: 1 | -1): void {
  target.n += sign * s.n;
  target.sumP += sign * s.sumP;
  target.sumO += sign * s.sumO;
  target.sumSq += sign * s.sumSq;
  target.sumLog += sign * s.sumLog;
}

/** The scoring of rows: what the store's sums hold for the same outcomes. */
export function scoreForecasts(rows: readonly ScoredForecast[]): Scoring {
  const moved = moveForecasts({ groups: [], consultations: { followed: 0, notFollowed: 0 } }, rows, 1);
  return { ...moved, consultations: countConsultations(rows) };
}

/** Distinct consultations among the rows, by whether the asker followed the alternative. */
export function countConsultations(rows: readonly ScoredForecast[]): ScoredConsultations {
  const byConsultation = new Map<string, boolean | null>(rows.map((f) => [f.consultationId, f.followedAlternative]));
  const values = [...byConsultation.values()];
  return { followed: values.filter((v) => v === true).length, notFollowed: values.filter((v) => v === false).length };
}

/**
 * Adds rows to a scoring's groups, or takes them out (sign −1: the digest takes out outcomes recorded
 * after the moment it describes). The consultation counts are the caller's to move.
 */
export function moveForecasts(scoring: Scoring, rows: readonly ScoredForecast[], sign: 1 | -1): Scoring {
  const groups = new Map(scoring.groups.map((g) => [groupKey(g), { ...g }]));
  for (const f of rows) {
    const key = keyOf(f);
    const id = groupKey(key);
    const g = groups.get(id) ?? { ...key, ...noScoringSums() };
    addSums(g, forecastSums(f.probability, f.happened), sign);
    groups.set(id, g);
  }
  return { groups: [...groups.values()].filter((g) => g.n > 0), consultations: { ...scoring.consultations } };
}

/** All the groups' sums added up. */
export function scoringTotal(groups: readonly ScoringGroup[]): ScoringSums {
  const t = noScoringSums();
  for (const g of groups) addSums(t, g, 1);
  return t;
}

/** Brier score and the base-rate baseline of a total, as brierScore and baseRateBrier give them for its rows. */
export function brierOf(t: ScoringSums): { brier: number | null; baseline: number | null } {
  if (t.n === 0) return { brier: null, baseline: null };
  const o = t.sumO / t.n;
  return { brier: t.sumSq / t.n, baseline: o * (1 - o) };
}

/** The groups' sums added up by a key. */
export function sumBy(groups: readonly ScoringGroup[], key: (g: ScoringGroup) => string): Map<string, ScoringSums> {
  const out = new Map<string, ScoringSums>();
  for (const g of groups) {
    const k = key(g);
    const t = out.get(k) ?? noScoringSums();
    addSums(t, g, 1);
    out.set(k, t);
  }
  return out;
}

function groupBy(groups: readonly ScoringGroup[], key: (g: ScoringGroup) => string): GroupSummary[] {
  return [...sumBy(groups, key).entries()]
    .map(([k, t]) => ({ key: k, resolved: t.n, brier: t.n === 0 ? null : t.sumSq / t.n }))
    .sort((a, b) => b.resolved - a.resolved || a.key.localeCompare(b.key));
}

function calibration(groups: readonly ScoringGroup[]): CalibrationRow[] {
  const count = new Array<number>(BINS).fill(0);
  const sumP = new Array<number>(BINS).fill(0);
  const sumO = new Array<number>(BINS).fill(0);
  for (const g of groups) {
    count[g.bin] = count[g.bin]! + g.n;
    sumP[g.bin] = sumP[g.bin]! + g.sumP;
    sumO[g.bin] = sumO[g.bin]! + g.sumO;
  }
  return calibrationRows(count, sumP, sumO);
}

/** summariseAccuracy, from sums. */
export function summariseScoring(scoring: Scoring, estimates: readonly ResolvedInterval[]): AccuracySummary {
  const groups = scoring.groups;
  const t = scoringTotal(groups);
  const { brier, baseline } = brierOf(t);
  const table = calibration(groups);
  return {
    resolved: t.n,
    brier,
    baselineBrier: baseline,
    logScore: t.n === 0 ? null : t.sumLog / t.n,
    murphy: t.n === 0 ? null : murphyFromTable(table, t),
    calibration: table,
    byTopic: groupBy(groups, (g) => g.topic),
    byFailureMode: groupBy(groups, (g) => `${g.topic}/${g.failureMode}`),
    byKnowledgeVersion: groupBy(groups, (g) => g.knowledgeVersion),
    cost: intervals(estimates, 'cost'),
    time: intervals(estimates, 'time'),
  };
}

/** successMetrics, from sums. */
export function successMetricsOfScoring(summary: AccuracySummary, scoring: Scoring, estimates: readonly ResolvedInterval[]): SuccessMetrics {
  const tally = emptyTally(scoring.consultations.followed, scoring.consultations.notFollowed);
  for (const g of scoring.groups) {
    const targets = [tally.all, tally.bySeverity[g.severity ?? 'unknown']];
    if (g.followed !== null) targets.push(g.followed ? tally.followed : tally.notFollowed);
    for (const s of targets) {
      s.n += g.n;
      s.sumO += g.sumO;
      s.sumP += g.sumP;
    }
  }
  return successMetricsFromTally(summary, tally, estimates);
}
