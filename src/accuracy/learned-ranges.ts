// Learning cost and time ranges from a workspace's own actuals, in log space: shift the median and
// scale the p10/p90 half-widths so ~80% of actuals land inside, workspace-wide then per topic, shrunk.
import { InputError } from '../errors.js';
import { median } from './validate.js';

export type RangeKind = 'cost' | 'time';

/** One resolved estimate, with the knowledge base's own quantiles (never learned ones: no feedback loop). */
export interface RangeSample {
  topic: string;
  kind: RangeKind;
  p10: number;
  p50: number;
  p90: number;
  actual: number;
}

/**
 * Learned p50 = p50·e^shift; learned p10/p90 sit `spread` times as far from it in log space as the
 * model's did. (shift, spread) = (0, 1) is "no change"; n is how many outcomes it was fitted on.
 */
export interface RangeAdjustment {
  shift: number;
  spread: number;
  n: number;
}

export interface LearnedKind {
  total: number;
  /** Workspace-wide, null below the minimum number of outcomes. */
  global: RangeAdjustment | null;
  /** On top of the workspace-wide one, per topic. */
  perTopic: ReadonlyMap<string, RangeAdjustment>;
}

export type LearnedRanges = Record<RangeKind, LearnedKind>;

export interface LearnedRange {
  p10: number;
  p50: number;
  p90: number;
  /** e^shift: 1.8 means "projects here came in at 1.8× the predicted median". */
  factor: number;
  /** Multiplier of the interval's log width: above 1 wider, below 1 narrower. */
  spread: number;
  /** Outcomes of this kind in the workspace behind the adjustment. */
  outcomes: number;
}

export interface RangeLearningOptions {
  /**
   * Prior standard deviation of the log shift: how far a workspace's typical project is believed to
   * sit from the knowledge base's median before any outcome (0.22: two in three within ×0.8–×1.25).
   */
  shiftPriorSd?: number;
  /** The same for one topic's shift on top of the workspace-wide one. */
  topicShiftPriorSd?: number;
  /** Outcomes' worth of belief that the model's width is right: spread weight n/(n + k). */
  spreadPriorStrength?: number;
  /** Below this many outcomes a level is not fitted at all. */
  minOutcomes?: number;
}

/** The share of actuals a p10–p90 interval should hold. */
export const TARGET_COVERAGE = 0.8;
export const DEFAULT_SHIFT_PRIOR_SD = 0.22;
export const DEFAULT_TOPIC_SHIFT_PRIOR_SD = 0.15;
export const DEFAULT_SPREAD_PRIOR_STRENGTH = 6;
export const MIN_OUTCOMES_TO_ADJUST_RANGES = 5;
/** z of the 90th percentile of a standard normal: a p10–p90 half-width is this many σ. */
const Z90 = 1.2815515655446004;
/** The sample median's variance is π/2 times the mean's under normal errors. */
const MEDIAN_VARIANCE_FACTOR = Math.PI / 2;
/** MAD × 1.4826 estimates σ of normal data. */
const MAD_TO_SD = 1.4826;
/** Outcomes' worth of belief in the scatter the model claims, when estimating how noisy one outcome is. */
const SCATTER_PRIOR_OUTCOMES = 10;
/** A half-width of 0 (p10 = p50 after rounding) would make every miss infinitely far: floor it (~5%). */
const MIN_HALF_WIDTH = 0.05;
/** Whatever the data, the learned width stays within these multiples of the model's. */
const SPREAD_LIMITS = [0.2, 5] as const;

const IDENTITY: Omit<RangeAdjustment, 'n'> = { shift: 0, spread: 1 };

interface Residual {
  /** ln(actual / centre) */
  r: number;
  /** Log distance centre → p10 and centre → p90 at the current width. */
  lower: number;
  upper: number;
}

function usable(s: RangeSample): boolean {
  return [s.p10, s.p50, s.p90, s.actual].every((x) => Number.isFinite(x) && x > 0) && s.p10 <= s.p50 && s.p50 <= s.p90;
}

/**
 * The value at position q·(n + 1) among the sorted values, interpolated (the largest past the end): a
 * new value from the same distribution falls at or below it with probability ≈ q. The plain empirical
 * quantile (position q·n) would cover a new value less often than q with few outcomes; the split-
 * conformal rank ⌈q(n + 1)⌉ covers at least q but overshoots by up to 1/(n + 1), which with five
 * outcomes widens an interval that was right.
 */
function predictiveQuantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const position = q * (sorted.length + 1);
  if (position >= sorted.length) return sorted[sorted.length - 1] as number;
  if (position <= 1) return sorted[0] as number;
  const below = Math.floor(position);
  const lo = sorted[below - 1] as number;
  const hi = sorted[below] as number;
  return lo + (position - below) * (hi - lo);
}

/**
 * How much one level believes its own data, as the weight n / (n + k) of a normal prior:
 *   shift  = w · median(r),   k = (π/2) · σ² / τ²
 * where σ is how far one outcome scatters around the centre (MAD of r, blended with the scatter the
 * model itself claims as if from ten outcomes, so a few cannot declare themselves precise) and τ the
 * prior sd of the shift. Noisy outcomes need many to move the median; tight ones move it quickly. Then
 *   spread = exp(w' · ln q80(|r − shift| / h)),   w' = n / (n + k')
 * with h the half-width on the residual's side: if the model's width is right, 80% of |r|/h are ≤ 1,
 * q80 is 1 and the spread stays 1. A median, not a mean, so one wild project does not move it.
 */
function fitLevel(residuals: readonly Residual[], shiftPriorSd: number, spreadPriorStrength: number): RangeAdjustment {
  const n = residuals.length;
  if (n === 0) return { ...IDENTITY, n: 0 };
  const centre = median(residuals.map((x) => x.r)) as number;
  const mad = MAD_TO_SD * (median(residuals.map((x) => Math.abs(x.r - centre))) as number);
  const claimed = residuals.reduce((sum, x) => sum + ((x.lower + x.upper) / 2 / Z90) ** 2, 0) / n;
  const variance = (n * mad * mad + SCATTER_PRIOR_OUTCOMES * claimed) / (n + SCATTER_PRIOR_OUTCOMES);
  const k = shiftPriorSd > 0 ? (MEDIAN_VARIANCE_FACTOR * variance) / (shiftPriorSd * shiftPriorSd) : Infinity;
  const shift = Number.isFinite(k) ? (n / (n + k)) * centre : 0;
  const standardised = residuals.map((x) => {
    const d = x.r - shift;
    return Math.abs(d) / Math.max(MIN_HALF_WIDTH, d >= 0 ? x.upper : x.lower);
  });
  const q = Math.min(SPREAD_LIMITS[1], Math.max(SPREAD_LIMITS[0], predictiveQuantile(standardised, TARGET_COVERAGE)));
  const spread = Math.exp((n / (n + spreadPriorStrength)) * Math.log(q));
  return { shift, spread, n };
}

function residualOf(s: RangeSample, base: Omit<RangeAdjustment, 'n'>): Residual {
  return {
    r: Math.log(s.actual / s.p50) - base.shift,
    lower: base.spread * Math.log(s.p50 / s.p10),
    upper: base.spread * Math.log(s.p90 / s.p50),
  };
}

interface Settings {
  shiftPriorSd: number;
  topicShiftPriorSd: number;
  spreadPriorStrength: number;
  minOutcomes: number;
}

function learnKind(samples: readonly RangeSample[], o: Settings): LearnedKind {
  const perTopic = new Map<string, RangeAdjustment>();
  if (samples.length < o.minOutcomes) return { total: samples.length, global: null, perTopic };
  const global = fitLevel(samples.map((s) => residualOf(s, IDENTITY)), o.shiftPriorSd, o.spreadPriorStrength);
  const groups = new Map<string, RangeSample[]>();
  for (const s of samples) {
    const list = groups.get(s.topic) ?? [];
    list.push(s);
    groups.set(s.topic, list);
  }
  for (const [topic, list] of groups) {
    if (list.length < o.minOutcomes) continue;
    perTopic.set(topic, fitLevel(list.map((s) => residualOf(s, global)), o.topicShiftPriorSd, o.spreadPriorStrength));
  }
  return { total: samples.length, global, perTopic };
}

/** Fits the workspace-wide and per-topic adjustments of each kind; unusable samples (≤ 0) are skipped. */
export function learnRanges(samples: readonly RangeSample[], options: RangeLearningOptions = {}): LearnedRanges {
  const o: Settings = {
    shiftPriorSd: options.shiftPriorSd ?? DEFAULT_SHIFT_PRIOR_SD,
    topicShiftPriorSd: options.topicShiftPriorSd ?? DEFAULT_TOPIC_SHIFT_PRIOR_SD,
    spreadPriorStrength: options.spreadPriorStrength ?? DEFAULT_SPREAD_PRIOR_STRENGTH,
    minOutcomes: options.minOutcomes ?? MIN_OUTCOMES_TO_ADJUST_RANGES,
  };
  for (const key of ['shiftPriorSd', 'topicShiftPriorSd', 'spreadPriorStrength'] as const) {
    if (!(o[key] >= 0 && Number.isFinite(o[key]))) throw new InputError(`${key} must be a finite number >= 0, got ${o[key]}`);
  }
  if (!(Number.isInteger(o.minOutcomes) && o.minOutcomes >= 1)) throw new InputError(`minOutcomes must be a positive integer, got ${o.minOutcomes}`);
  const ok = samples.filter(usable);
  return {
    cost: learnKind(ok.filter((s) => s.kind === 'cost'), o),
    time: learnKind(ok.filter((s) => s.kind === 'time'), o),
  };
}

/** True when something was learned for either kind. */
export function hasLearnedRanges(learned: LearnedRanges): boolean {
  return learned.cost.global !== null || learned.time.global !== null;
}

/**
 * The adjusted quantiles for a topic's model quantiles, or undefined when nothing was learned for the
 * kind. The order p10 ≤ p50 ≤ p90 is kept (the spread is positive).
 */
export function applyLearnedRange(
  learned: LearnedRanges,
  topic: string,
  kind: RangeKind,
  q: { p10: number; p50: number; p90: number },
): LearnedRange | undefined {
  const level = learned[kind];
  if (!level.global) return undefined;
  if (![q.p10, q.p50, q.p90].every((x) => Number.isFinite(x) && x > 0) || !(q.p10 <= q.p50 && q.p50 <= q.p90)) return undefined;
  const own = level.perTopic.get(topic);
  const shift = level.global.shift + (own?.shift ?? 0);
  // Each level is bounded; so is their product (two levels fitted on one topic's data could compound).
  const spread = Math.min(SPREAD_LIMITS[1], Math.max(SPREAD_LIMITS[0], level.global.spread * (own?.spread ?? 1)));
  const p50 = q.p50 * Math.exp(shift);
  return {
    p10: p50 * Math.exp(-spread * Math.log(q.p50 / q.p10)),
    p50,
    p90: p50 * Math.exp(spread * Math.log(q.p90 / q.p50)),
    factor: Math.exp(shift),
    spread,
    outcomes: level.total,
  };
}
