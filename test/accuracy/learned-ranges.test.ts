// Learned cost/time ranges: recover a known shift and width from simulated actuals, stay put when the
// knowledge base is right or outcomes are few, pool topics toward the workspace, and refuse bad input.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  applyLearnedRange,
  hasLearnedRanges,
  learnRanges,
  MIN_OUTCOMES_TO_ADJUST_RANGES,
  type RangeKind,
  type RangeSample,
} from '../../src/accuracy/learned-ranges.js';
import { mulberry32 } from '../../src/accuracy/random.js';

const Z90 = 1.2815515655446004;
const MODEL = { p10: 2, p50: 5, p90: 14 };

interface WorldSpec {
  topic?: string;
  kind?: RangeKind;
  /** Truth median = factor × p50 */
  factor: number;
  /** Truth half-widths = spread × the model's */
  spread: number;
  n: number;
  seed: number;
  model?: { p10: number; p50: number; p90: number };
}

/** Actuals from a split lognormal whose p10/p50/p90 are the model's, moved by factor and spread. */
function simulate(w: WorldSpec): RangeSample[] {
  const rng = mulberry32(w.seed);
  const m = w.model ?? MODEL;
  return Array.from({ length: w.n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const half = z < 0 ? Math.log(m.p50 / m.p10) : Math.log(m.p90 / m.p50);
    return { topic: w.topic ?? 'kubernetes', kind: w.kind ?? 'time', ...m, actual: m.p50 * w.factor * Math.exp((w.spread * z * half) / Z90) };
  });
}

function hitRate(samples: readonly RangeSample[], q: { p10: number; p90: number }): number {
  return samples.filter((s) => q.p10 <= s.actual && s.actual <= q.p90).length / samples.length;
}

describe('learnRanges recovers a known world from many outcomes', () => {
  it.each([
    { name: '1.8× the months, same spread', factor: 1.8, spread: 1 },
    { name: '1.8× the months, half the spread', factor: 1.8, spread: 0.5 },
    { name: 'half the months, twice the spread', factor: 0.5, spread: 2 },
    { name: 'right median, 1.5× the spread', factor: 1, spread: 1.5 },
  ])('$name', ({ factor, spread }) => {
    const learned = learnRanges(simulate({ factor, spread, n: 5_000, seed: 7 }));
    const r = applyLearnedRange(learned, 'kubernetes', 'time', MODEL)!;
    expect(r.factor).toBeGreaterThan(factor * 0.93);
    expect(r.factor).toBeLessThan(factor * 1.07);
    expect(r.spread).toBeGreaterThan(spread * 0.9);
    expect(r.spread).toBeLessThan(spread * 1.1);
    expect(r.outcomes).toBe(5_000);
    expect(r.p50).toBeCloseTo(MODEL.p50 * r.factor, 10);
    // Held out: about 80% of new actuals land inside the learned p10–p90.
    expect(hitRate(simulate({ factor, spread, n: 4_000, seed: 99 }), r)).toBeGreaterThan(0.77);
    expect(hitRate(simulate({ factor, spread, n: 4_000, seed: 99 }), r)).toBeLessThan(0.83);
  });
});

describe('learnRanges with a knowledge base that is right', () => {
  it.each([20, 100, 1_000])('moves little with %i outcomes', (n) => {
    const r = applyLearnedRange(learnRanges(simulate({ factor: 1, spread: 1, n, seed: n })), 'kubernetes', 'time', MODEL)!;
    expect(Math.abs(Math.log(r.factor))).toBeLessThan(0.15);
    expect(Math.abs(Math.log(r.spread))).toBeLessThan(0.2);
  });
});

describe('shrinkage toward the knowledge base while outcomes are few', () => {
  it('below the minimum nothing is learned, at the minimum something is', () => {
    const few = simulate({ factor: 3, spread: 1, n: MIN_OUTCOMES_TO_ADJUST_RANGES - 1, seed: 1 });
    expect(applyLearnedRange(learnRanges(few), 'kubernetes', 'time', MODEL)).toBeUndefined();
    expect(hasLearnedRanges(learnRanges(few))).toBe(false);
    const enough = simulate({ factor: 3, spread: 1, n: MIN_OUTCOMES_TO_ADJUST_RANGES, seed: 1 });
    expect(applyLearnedRange(learnRanges(enough), 'kubernetes', 'time', MODEL)).toBeDefined();
    expect(hasLearnedRanges(learnRanges(enough))).toBe(true);
  });

  it('on average the learned factor moves toward the truth as outcomes accumulate, from below', () => {
    const counts = [5, 10, 20, 50, 400];
    const sums = counts.map(() => 0);
    const workspaces = 100;
    for (let seed = 1; seed <= workspaces; seed++) {
      const all = simulate({ factor: 2, spread: 1, n: 400, seed });
      counts.forEach((n, i) => {
        sums[i]! += Math.log(applyLearnedRange(learnRanges(all.slice(0, n)), 'kubernetes', 'time', MODEL)!.factor);
      });
    }
    const mean = sums.map((s) => Math.exp(s / workspaces));
    for (let i = 1; i < mean.length; i++) expect(mean[i]!).toBeGreaterThan(mean[i - 1]!);
    expect(mean[0]!).toBeGreaterThan(1.1);
    expect(mean[0]!).toBeLessThan(1.6);
    expect(mean.at(-1)!).toBeGreaterThan(1.9);
    expect(mean.at(-1)!).toBeLessThan(2.05);
  });

  it('noisy outcomes are believed less than tight ones with the same median', () => {
    const tight = simulate({ factor: 1.8, spread: 0.3, n: 10, seed: 5 });
    const noisy = simulate({ factor: 1.8, spread: 2, n: 10, seed: 5 });
    const f = (s: RangeSample[]) => applyLearnedRange(learnRanges(s), 'kubernetes', 'time', MODEL)!.factor;
    expect(f(tight)).toBeGreaterThan(f(noisy));
  });

  it('a stronger prior moves less', () => {
    const samples = simulate({ factor: 2, spread: 1, n: 20, seed: 11 });
    const loose = applyLearnedRange(learnRanges(samples, { shiftPriorSd: 1, spreadPriorStrength: 1 }), 'kubernetes', 'time', MODEL)!;
    const strict = applyLearnedRange(learnRanges(samples, { shiftPriorSd: 0.05, topicShiftPriorSd: 0.05, spreadPriorStrength: 100 }), 'kubernetes', 'time', MODEL)!;
    expect(Math.log(loose.factor)).toBeGreaterThan(Math.log(strict.factor));
    expect(Math.abs(Math.log(strict.factor))).toBeLessThan(0.1);
    expect(Math.abs(Math.log(strict.spread))).toBeLessThan(0.1);
    const frozen = applyLearnedRange(learnRanges(samples, { shiftPriorSd: 0, topicShiftPriorSd: 0 }), 'kubernetes', 'time', MODEL)!;
    expect(frozen.factor).toBe(1);
  });
});

describe('two levels: the workspace, then each topic on top of it', () => {
  const kubernetes = simulate({ topic: 'kubernetes', factor: 2.5, spread: 0.5, n: 300, seed: 21 });
  const pipelines = simulate({ topic: 'prompt-pipeline', factor: 1, spread: 0.5, n: 300, seed: 22 });
  const learned = learnRanges([...kubernetes, ...pipelines]);

  it.each([
    ['kubernetes', 2.5],
    ['prompt-pipeline', 1],
  ])('%s gets its own factor (%f)', (topic, factor) => {
    const r = applyLearnedRange(learned, topic, 'time', MODEL)!;
    expect(r.factor).toBeGreaterThan(factor * 0.88);
    expect(r.factor).toBeLessThan(factor * 1.12);
  });

  it('a topic with too few outcomes of its own gets the workspace-wide adjustment', () => {
    const r = applyLearnedRange(learned, 'zero-trust', 'time', MODEL)!;
    expect(r.factor).toBeCloseTo(Math.exp(learned.time.global!.shift), 12);
    expect(r.spread).toBeCloseTo(learned.time.global!.spread, 12);
    expect(learned.time.perTopic.has('zero-trust')).toBe(false);
  });

  it('a topic with a few outcomes of its own is pulled toward the workspace', () => {
    const fewOwn = simulate({ topic: 'microservices', factor: 4, spread: 0.5, n: 6, seed: 23 });
    const pooled = learnRanges([...kubernetes, ...pipelines, ...fewOwn]);
    const own = applyLearnedRange(pooled, 'microservices', 'time', MODEL)!;
    const workspace = Math.exp(pooled.time.global!.shift);
    expect(own.factor).toBeGreaterThan(workspace);
    expect(own.factor).toBeLessThan(4 * 0.8);
  });
});

describe('cost and time are learned apart', () => {
  it('an adjustment of one kind leaves the other alone', () => {
    const learned = learnRanges(simulate({ kind: 'cost', factor: 2, spread: 1, n: 50, seed: 31, model: { p10: 100_000, p50: 250_000, p90: 700_000 } }));
    expect(applyLearnedRange(learned, 'kubernetes', 'cost', { p10: 100_000, p50: 250_000, p90: 700_000 })!.factor).toBeGreaterThan(1.5);
    expect(applyLearnedRange(learned, 'kubernetes', 'time', MODEL)).toBeUndefined();
    expect(learned.time.total).toBe(0);
  });
});

describe('edge cases', () => {
  it.each([
    ['zero actual', { actual: 0 }],
    ['negative actual', { actual: -3 }],
    ['zero p10', { p10: 0 }],
    ['crossed quantiles', { p10: 6 }],
    ['NaN', { actual: Number.NaN }],
  ])('skips a sample with %s', (_name, patch) => {
    const good = simulate({ factor: 2, spread: 1, n: MIN_OUTCOMES_TO_ADJUST_RANGES, seed: 41 });
    const bad = { ...good[0]!, ...patch };
    expect(learnRanges([...good.slice(1), bad]).time.total).toBe(MIN_OUTCOMES_TO_ADJUST_RANGES - 1);
  });

  it('keeps p10 ≤ p50 ≤ p90 and handles a zero half-width (p10 = p50 after rounding)', () => {
    const flat = { p10: 0.5, p50: 0.5, p90: 2 };
    const samples = simulate({ factor: 3, spread: 1, n: 30, seed: 51, model: flat });
    const r = applyLearnedRange(learnRanges(samples), 'kubernetes', 'time', flat)!;
    expect(Number.isFinite(r.p10) && Number.isFinite(r.p90)).toBe(true);
    expect(r.p10).toBeLessThanOrEqual(r.p50);
    expect(r.p50).toBeLessThanOrEqual(r.p90);
  });

  it('every actual exactly at the median gives a finite, narrower range', () => {
    const samples = Array.from({ length: 40 }, () => ({ topic: 'kubernetes', kind: 'time' as const, ...MODEL, actual: MODEL.p50 }));
    const r = applyLearnedRange(learnRanges(samples), 'kubernetes', 'time', MODEL)!;
    expect(r.factor).toBe(1);
    expect(r.spread).toBeGreaterThan(0);
    expect(r.spread).toBeLessThan(0.5);
  });

  it('the width never goes below a fifth or above five times the model\'s, whatever the two levels say', () => {
    const exact = Array.from({ length: 200 }, (_, i) => ({ topic: 'kubernetes', kind: 'time' as const, ...MODEL, actual: MODEL.p50 * 2 * (1 + 1e-4 * (i % 3)) }));
    expect(applyLearnedRange(learnRanges(exact), 'kubernetes', 'time', MODEL)!.spread).toBeCloseTo(0.2, 12);
    const wild = simulate({ factor: 1, spread: 40, n: 200, seed: 81 });
    expect(applyLearnedRange(learnRanges(wild), 'kubernetes', 'time', MODEL)!.spread).toBeCloseTo(5, 12);
  });

  it('is deterministic', () => {
    const samples = simulate({ factor: 1.4, spread: 1.2, n: 60, seed: 61 });
    expect(learnRanges(samples)).toStrictEqual(learnRanges([...samples]));
  });

  it('leaves model quantiles that cannot be scaled alone', () => {
    const learned = learnRanges(simulate({ factor: 2, spread: 1, n: 20, seed: 71 }));
    expect(applyLearnedRange(learned, 'kubernetes', 'time', { p10: 0, p50: 1, p90: 2 })).toBeUndefined();
  });

  it.each([
    [{ shiftPriorSd: -1 }],
    [{ topicShiftPriorSd: Number.NaN }],
    [{ spreadPriorStrength: Number.POSITIVE_INFINITY }],
    [{ minOutcomes: 0 }],
    [{ minOutcomes: 2.5 }],
  ])('refuses options %j', (options) => {
    expect(() => learnRanges([], options)).toThrow(InputError);
  });
});
