// Known answers for the binary scoring rules: perfect, coin-flip, a hand-computed example, the
// base-rate baseline and skill score, null on empty input, and rejection of malformed forecasts.
import { describe, it, expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import { baseRate, baseRateBrier, brierScore, brierSkillScore, logScore } from '../../src/accuracy/scores.js';
import type { BinaryForecast } from '../../src/accuracy/types.js';

const f = (pairs: Array<[number, 0 | 1]>): BinaryForecast[] => pairs.map(([p, outcome]) => ({ p, outcome }));

// p = 0.9, 0.2, 0.6 with outcomes 1, 0, 0:
//   Brier = (0.1² + 0.2² + 0.6²) / 3 = 0.41 / 3
//   log   = −(ln 0.9 + ln 0.8 + ln 0.4) / 3
//   ō = 1/3, baseline = 1/3 · 2/3 = 2/9, skill = 1 − (0.41/3) / (2/9) = 0.385
const HAND = f([
  [0.9, 1],
  [0.2, 0],
  [0.6, 0],
]);

describe('brierScore', () => {
  it.each([
    { name: 'perfect forecasts', input: f([[1, 1], [0, 0], [1, 1]]), expected: 0 },
    { name: 'constant 0.5, all hits', input: f([[0.5, 1], [0.5, 1]]), expected: 0.25 },
    { name: 'constant 0.5, all misses', input: f([[0.5, 0], [0.5, 0], [0.5, 0]]), expected: 0.25 },
    { name: 'constant 0.5, mixed', input: f([[0.5, 1], [0.5, 0], [0.5, 0]]), expected: 0.25 },
    { name: 'maximally wrong', input: f([[1, 0], [0, 1]]), expected: 1 },
    { name: 'hand-computed 3-forecast example', input: HAND, expected: 0.41 / 3 },
  ])('$name', ({ input, expected }) => {
    expect(brierScore(input)).toBeCloseTo(expected, 12);
  });
});

describe('logScore', () => {
  it.each([
    { name: 'constant 0.5 scores ln 2', input: f([[0.5, 1], [0.5, 0]]), expected: Math.LN2 },
    { name: 'hand-computed 3-forecast example', input: HAND, expected: -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4)) / 3 },
    // Clipping: perfect certainty costs −ln(1 − 1e-6) ≈ 1e-6, not exactly 0...
    { name: 'perfect forecasts are clipped, not zero', input: f([[1, 1], [0, 0]]), expected: -Math.log(1 - 1e-6) },
    // ...and a certain miss costs ln(1e6) instead of Infinity.
    { name: 'certain miss is finite', input: f([[0, 1]]), expected: Math.log(1e6) },
  ])('$name', ({ input, expected }) => {
    expect(logScore(input)).toBeCloseTo(expected, 9);
  });

  it('ranks a sharper correct forecast above a hedged one (lower is better)', () => {
    expect(logScore(f([[0.9, 1]]))!).toBeLessThan(logScore(f([[0.6, 1]]))!);
  });
});

describe('baseRate, baseRateBrier and brierSkillScore', () => {
  it.each([
    { name: 'hand example', input: HAND, rate: 1 / 3, baseline: 2 / 9, skill: 1 - 0.41 / 3 / (2 / 9) },
    { name: 'forecasting the base rate has zero skill', input: f([[0.25, 1], [0.25, 0], [0.25, 0], [0.25, 0]]), rate: 0.25, baseline: 0.1875, skill: 0 },
    { name: 'perfect forecasts have skill 1', input: f([[1, 1], [0, 0]]), rate: 0.5, baseline: 0.25, skill: 1 },
    { name: 'anti-forecasts have negative skill', input: f([[0, 1], [1, 0]]), rate: 0.5, baseline: 0.25, skill: -3 },
  ])('$name', ({ input, rate, baseline, skill }) => {
    expect(baseRate(input)).toBeCloseTo(rate, 12);
    expect(baseRateBrier(input)).toBeCloseTo(baseline, 12);
    expect(brierSkillScore(input)).toBeCloseTo(skill, 12);
  });

  it.each([
    { name: 'all outcomes 1', input: f([[0.7, 1], [0.9, 1]]) },
    { name: 'all outcomes 0', input: f([[0.2, 0]]) },
  ])('skill is null when the baseline is 0 ($name)', ({ input }) => {
    expect(baseRateBrier(input)).toBe(0);
    expect(brierSkillScore(input)).toBeNull();
  });
});

describe('empty input gives null, never NaN', () => {
  it.each([
    { name: 'brierScore', fn: brierScore },
    { name: 'logScore', fn: logScore },
    { name: 'baseRate', fn: baseRate },
    { name: 'baseRateBrier', fn: baseRateBrier },
    { name: 'brierSkillScore', fn: brierSkillScore },
  ])('$name([]) is null', ({ fn }) => {
    expect(fn([])).toBeNull();
  });
});

describe('malformed forecasts are rejected', () => {
  it.each([
    { name: 'p above 1', input: [{ p: 1.2, outcome: 1 }] },
    { name: 'p below 0', input: [{ p: -0.1, outcome: 0 }] },
    { name: 'p NaN', input: [{ p: Number.NaN, outcome: 0 }] },
    { name: 'outcome not 0/1', input: [{ p: 0.5, outcome: 2 }] },
  ])('$name', ({ input }) => {
    const bad = input as unknown as BinaryForecast[];
    for (const fn of [brierScore, logScore, baseRateBrier, brierSkillScore]) {
      expect(() => fn(bad)).toThrow(InputError);
    }
  });
});
