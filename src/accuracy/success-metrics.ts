// The source document's four success metrics, by name: prediction accuracy, cost estimation, failure
// prevention and time to production, computed from resolved outcomes (what `report` and the digest show).
import type { AccuracySummary, ResolvedInterval } from './summary.js';
import { median } from './validate.js';

export type SeverityLevel = 'high' | 'medium' | 'low';

/** A resolved failure-mode prediction with what failure prevention groups it by. */
export interface ResolvedFailureMode {
  consultationId: string;
  probability: number;
  happened: 0 | 1;
  severity: SeverityLevel | null;
  followedAlternative: boolean | null;
}

/** "How often deployment reality matches predictions": Brier and calibration. */
export interface PredictionAccuracy {
  resolved: number;
  brier: number | null;
  baselineBrier: number | null;
  /** Murphy reliability: 0 is perfectly calibrated. */
  reliability: number | null;
  resolution: number | null;
}

/** How close the shown p10/p50/p90 were to what it really cost or took. */
export interface EstimateAccuracy {
  resolved: number;
  /** median |ln(actual / p50)|: 0 is exact, ln 2 ≈ 0.69 is "typically off by 2×". */
  medianAbsLogError: number | null;
  /** exp(median ln(actual / p50)): 1.8 means actuals typically came in at 1.8× the prediction. */
  typicalRatio: number | null;
  /** Share of actuals inside p10–p90; the target is 0.8. */
  hitRate: number | null;
}

export interface TimeToProduction extends EstimateAccuracy {
  medianPredictedMonths: number | null;
  medianActualMonths: number | null;
}

export interface OccurrenceGroup {
  resolved: number;
  occurred: number;
  /** Share of the resolved failure modes that occurred; null when none resolved. */
  rate: number | null;
  /** Mean predicted probability of the same failure modes, to read the rate against. */
  meanPredicted: number | null;
}

export interface AlternativeComparison {
  /** 'compared' once both groups have resolved failure modes; until then the groups are only counted. */
  status: 'compared' | 'not-enough-data';
  followed: OccurrenceGroup & { consultations: number };
  notFollowed: OccurrenceGroup & { consultations: number };
  /** notFollowed.rate − followed.rate: positive means fewer failures when the alternative was followed. */
  difference: number | null;
}

/** "Percentage of predicted failure modes that occur", by severity, and with or without the alternative. */
export interface FailurePrevention extends OccurrenceGroup {
  bySeverity: Array<OccurrenceGroup & { severity: SeverityLevel | 'unknown' }>;
  alternative: AlternativeComparison;
}

export interface SuccessMetrics {
  predictionAccuracy: PredictionAccuracy;
  costEstimation: EstimateAccuracy;
  failurePrevention: FailurePrevention;
  timeToProduction: TimeToProduction;
}

/** The sums an occurrence group is read from: how many resolved, how many happened, total probability. */
export interface OccurrenceSums {
  n: number;
  sumO: number;
  sumP: number;
}

/** Failure modes tallied the ways failure prevention groups them: from rows, or from stored running sums. */
export interface FailureModeTally {
  all: OccurrenceSums;
  bySeverity: Record<SeverityLevel | 'unknown', OccurrenceSums>;
  /** Keyed by whether the asker followed the alternative; `consultations` counts distinct consultations. */
  followed: OccurrenceSums & { consultations: number };
  notFollowed: OccurrenceSums & { consultations: number };
}

const noSums = (): OccurrenceSums => ({ n: 0, sumO: 0, sumP: 0 });

/** A tally with nothing in it yet; the consultation counts are given when known already (stored sums). */
export function emptyTally(followed = 0, notFollowed = 0): FailureModeTally {
  return {
    all: noSums(),
    bySeverity: { high: noSums(), medium: noSums(), low: noSums(), unknown: noSums() },
    followed: { ...noSums(), consultations: followed },
    notFollowed: { ...noSums(), consultations: notFollowed },
  };
}

function occurrence(s: OccurrenceSums): OccurrenceGroup {
  return {
    resolved: s.n,
    occurred: s.sumO,
    rate: s.n === 0 ? null : s.sumO / s.n,
    meanPredicted: s.n === 0 ? null : s.sumP / s.n,
  };
}

function estimateAccuracy(rows: readonly ResolvedInterval[]): EstimateAccuracy {
  const usable = rows.filter((r) => r.actual > 0 && r.p50 > 0);
  const logs = usable.map((r) => Math.log(r.actual / r.p50));
  const centre = median(logs);
  return {
    resolved: usable.length,
    medianAbsLogError: median(logs.map(Math.abs)),
    typicalRatio: centre === null ? null : Math.exp(centre),
    hitRate: usable.length === 0 ? null : usable.filter((r) => r.p10 <= r.actual && r.actual <= r.p90).length / usable.length,
  };
}

const SEVERITIES: readonly SeverityLevel[] = ['high', 'medium', 'low'];

/** The tally of resolved failure-mode rows. */
export function tallyFailureModes(rows: readonly ResolvedFailureMode[]): FailureModeTally {
  const t = emptyTally();
  const add = (s: OccurrenceSums, r: ResolvedFailureMode): void => {
    s.n += 1;
    s.sumO += r.happened;
    s.sumP += r.probability;
  };
  const seen = { followed: new Set<string>(), notFollowed: new Set<string>() };
  for (const r of rows) {
    add(t.all, r);
    add(t.bySeverity[r.severity ?? 'unknown'], r);
    if (r.followedAlternative === null) continue;
    const side = r.followedAlternative ? 'followed' : 'notFollowed';
    add(t[side], r);
    seen[side].add(r.consultationId);
  }
  t.followed.consultations = seen.followed.size;
  t.notFollowed.consultations = seen.notFollowed.size;
  return t;
}

function failurePrevention(t: FailureModeTally): FailurePrevention {
  const bySeverity: FailurePrevention['bySeverity'] = SEVERITIES.map((severity) => ({ severity, ...occurrence(t.bySeverity[severity]) }));
  if (t.bySeverity.unknown.n > 0) bySeverity.push({ severity: 'unknown', ...occurrence(t.bySeverity.unknown) });
  const followed = { consultations: t.followed.consultations, ...occurrence(t.followed) };
  const notFollowed = { consultations: t.notFollowed.consultations, ...occurrence(t.notFollowed) };
  const compared = followed.rate !== null && notFollowed.rate !== null;
  return {
    ...occurrence(t.all),
    bySeverity,
    alternative: {
      status: compared ? 'compared' : 'not-enough-data',
      followed,
      notFollowed,
      difference: compared ? notFollowed.rate! - followed.rate! : null,
    },
  };
}

/**
 * The four metrics. Prediction accuracy is read off the accuracy summary (the same numbers `report` and
 * the digest already show); the rest come from the resolved failure modes and estimates, as shown.
 */
export function successMetrics(
  summary: AccuracySummary,
  failureModes: readonly ResolvedFailureMode[],
  estimates: readonly ResolvedInterval[],
): SuccessMetrics {
  return successMetricsFromTally(summary, tallyFailureModes(failureModes), estimates);
}

/** The same four metrics from a tally (the digest's, built from stored running sums). */
export function successMetricsFromTally(summary: AccuracySummary, tally: FailureModeTally, estimates: readonly ResolvedInterval[]): SuccessMetrics {
  const time = estimates.filter((e) => e.kind === 'time');
  const usableTime = time.filter((r) => r.actual > 0 && r.p50 > 0);
  return {
    predictionAccuracy: {
      resolved: summary.resolved,
      brier: summary.brier,
      baselineBrier: summary.baselineBrier,
      reliability: summary.murphy?.reliability ?? null,
      resolution: summary.murphy?.resolution ?? null,
    },
    costEstimation: estimateAccuracy(estimates.filter((e) => e.kind === 'cost')),
    failurePrevention: failurePrevention(tally),
    timeToProduction: {
      ...estimateAccuracy(time),
      medianPredictedMonths: median(usableTime.map((r) => r.p50)),
      medianActualMonths: median(usableTime.map((r) => r.actual)),
    },
  };
}
