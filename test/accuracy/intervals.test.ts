// Known answers for the p10–p90 interval checks: hit rate, Gneiting–Raftery interval score (hit,
// miss below, miss above), log accuracy ratios and their median, null on empty, bad input rejected.
import { describe, it, expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  intervalHitRate,
  intervalScore,
  logAccuracyRatios,
  meanIntervalScore,
  medianLogAccuracyRatio,
} from '../../src/accuracy/intervals.js';
import type { IntervalForecast } from '../../src/accuracy/types.js';

const iv = (p10: number, p50: number, p90: number, actual: number): IntervalForecast => ({ p10, p50, p90, actual });

describe('intervalHitRate', () => {
  it.each([
    { name: 'all inside', input: [iv(1, 2, 3, 2), iv(10, 20, 30, 11)], expected: 1 },
    { name: 'edges count as hits', input: [iv(1, 2, 3, 1), iv(1, 2, 3, 3)], expected: 1 },
    { name: 'below and above miss', input: [iv(1, 2, 3, 0.5), iv(1, 2, 3, 4)], expected: 0 },
    { name: '4 of 5', input: [iv(1, 2, 3, 2), iv(1, 2, 3, 2), iv(1, 2, 3, 2), iv(1, 2, 3, 2), iv(1, 2, 3, 9)], expected: 0.8 },
  ])('$name', ({ input, expected }) => {
    expect(intervalHitRate(input)).toBeCloseTo(expected, 12);
  });
});

describe('intervalScore', () => {
  it.each([
    { name: 'hit scores the width', l: 10, u: 20, x: 15, alpha: 0.2, expected: 10 },
    { name: 'on the lower edge is a hit', l: 10, u: 20, x: 10, alpha: 0.2, expected: 10 },
    { name: 'miss below: 10 + (2/0.2)·5', l: 10, u: 20, x: 5, alpha: 0.2, expected: 60 },
    { name: 'miss above: 10 + (2/0.2)·3', l: 10, u: 20, x: 23, alpha: 0.2, expected: 40 },
    { name: 'alpha 0.5 penalises less: 10 + 4·2', l: 10, u: 20, x: 8, alpha: 0.5, expected: 18 },
    { name: 'point interval that is right', l: 7, u: 7, x: 7, alpha: 0.2, expected: 0 },
  ])('$name', ({ l, u, x, alpha, expected }) => {
    expect(intervalScore(l, u, x, alpha)).toBeCloseTo(expected, 12);
  });

  it('defaults alpha to 0.2', () => {
    expect(intervalScore(10, 20, 5)).toBe(intervalScore(10, 20, 5, 0.2));
  });

  it.each([
    { name: 'lower above upper', l: 5, u: 4, x: 4.5, alpha: 0.2 },
    { name: 'alpha 0', l: 1, u: 2, x: 1.5, alpha: 0 },
    { name: 'alpha 1', l: 1, u: 2, x: 1.5, alpha: 1 },
    { name: 'non-finite actual', l: 1, u: 2, x: Number.NaN, alpha: 0.2 },
  ])('rejects $name', ({ l, u, x, alpha }) => {
    expect(() => intervalScore(l, u, x, alpha)).toThrow(InputError);
  });
});

describe('meanIntervalScore', () => {
  it('averages the p10–p90 interval scores', () => {
    const input = [iv(10, 15, 20, 15), iv(10, 15, 20, 5), iv(10, 15, 20, 23)];
    expect(meanIntervalScore(input)).toBeCloseTo((10 + 60 + 40) / 3, 12);
    expect(meanIntervalScore(input, 0.5)).toBeCloseTo((10 + 30 + 22) / 3, 12);
  });
});

describe('logAccuracyRatios and medianLogAccuracyRatio', () => {
  it.each([
    { name: '2× over-estimate is ln 2', input: [iv(1, 200, 400, 100), iv(1, 10, 30, 5)], median: Math.LN2 },
    { name: '2× under-estimate is −ln 2', input: [iv(1, 50, 80, 100)], median: -Math.LN2 },
    { name: 'exact is 0', input: [iv(1, 3, 5, 3)], median: 0 },
    // ratios ln2, −ln2, 0, ln4 → sorted −ln2, 0, ln2, ln4 → median (0 + ln2)/2
    { name: 'even count averages the middle two', input: [iv(1, 2, 9, 1), iv(1, 1, 9, 2), iv(1, 3, 9, 3), iv(1, 4, 9, 1)], median: Math.LN2 / 2 },
    { name: 'one wild miss does not move the median', input: [iv(1, 2, 9, 1), iv(1, 2, 9, 1), iv(1, 1000, 2000, 1)], median: Math.LN2 },
  ])('$name', ({ input, median }) => {
    expect(medianLogAccuracyRatio(input)).toBeCloseTo(median, 12);
  });

  it('returns one ratio per forecast, in order', () => {
    const r = logAccuracyRatios([iv(1, 2, 9, 1), iv(1, 1, 9, 4)]);
    expect(r).toHaveLength(2);
    expect(r[0]).toBeCloseTo(Math.LN2, 12);
    expect(r[1]).toBeCloseTo(-2 * Math.LN2, 12);
  });

  it.each([
    { name: 'zero actual', input: [iv(0, 1, 2, 0)] },
    { name: 'zero p50', input: [iv(0, 0, 2, 1)] },
    { name: 'negative values', input: [iv(-3, -2, -1, -2)] },
  ])('rejects non-positive quantities ($name) instead of returning NaN', ({ input }) => {
    expect(() => logAccuracyRatios(input)).toThrow(InputError);
    expect(() => medianLogAccuracyRatio(input)).toThrow(InputError);
  });
});

describe('empty input and malformed forecasts', () => {
  it.each([
    { name: 'intervalHitRate', fn: intervalHitRate },
    { name: 'meanIntervalScore', fn: (f: IntervalForecast[]) => meanIntervalScore(f) },
    { name: 'medianLogAccuracyRatio', fn: medianLogAccuracyRatio },
  ])('$name([]) is null', ({ fn }) => {
    expect(fn([])).toBeNull();
  });

  it('logAccuracyRatios([]) is empty', () => {
    expect(logAccuracyRatios([])).toEqual([]);
  });

  it.each([
    { name: 'crossed quantiles', input: [iv(5, 4, 6, 5)] },
    { name: 'p90 below p10', input: [iv(5, 5, 4, 5)] },
    { name: 'infinite actual', input: [iv(1, 2, 3, Number.POSITIVE_INFINITY)] },
  ])('rejects $name', ({ input }) => {
    expect(() => intervalHitRate(input)).toThrow(InputError);
    expect(() => meanIntervalScore(input)).toThrow(InputError);
    expect(() => logAccuracyRatios(input)).toThrow(InputError);
  });
});
