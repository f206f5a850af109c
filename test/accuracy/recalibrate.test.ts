// Recalibration must recover a known miscalibration from enough outcomes, stay near the identity with
// few, and be deterministic and finite on degenerate data (all 0/1 outcomes, extreme p, n = 0).
import { describe, it, expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  applyRecalibration,
  DEFAULT_PRIOR_STRENGTH,
  fitRecalibration,
  MIN_OUTCOMES_TO_RECALIBRATE,
  recalibrationFor,
  type RecalibrationModel,
} from '../../src/accuracy/recalibrate.js';
import { mulberry32 } from '../../src/accuracy/random.js';
import { brierScore } from '../../src/accuracy/scores.js';
import type { BinaryForecast } from '../../src/accuracy/types.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const logit = (p: number): number => Math.log(p / (1 - p));

// The knowledge base's stated p versus the truth q = σ(0.8 + 1.3·logit(p)): it under-states risk
// and is under-confident, the kind of drift recalibration has to learn.
const TRUE_A = 0.8;
const TRUE_B = 1.3;

interface Sample extends BinaryForecast {
  q: number;
}

function simulate(seed: number, n: number): Sample[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const p = 0.02 + 0.96 * rng();
    const q = sigmoid(TRUE_A + TRUE_B * logit(p));
    return { p, q, outcome: rng() < q ? 1 : 0 };
  });
}

const GRID = Array.from({ length: 19 }, (_, i) => 0.05 * (i + 1));

/** Largest change the model makes to any probability on a 0.05..0.95 grid. */
function maxShift(model: RecalibrationModel): number {
  return Math.max(...GRID.map((p) => Math.abs(applyRecalibration(model, p) - p)));
}

describe('fitRecalibration on a known miscalibration', () => {
  it.each([1, 2, 3, 42, 1234])('2,000 outcomes: within 2%% of the oracle Brier, clearly better than raw (seed %i)', (seed) => {
    const train = simulate(seed, 2000);
    const test = simulate(seed + 10_000, 2000);
    const model = fitRecalibration(train);
    expect(model.n).toBe(2000);

    const fitted = brierScore(test.map((s) => ({ p: applyRecalibration(model, s.p), outcome: s.outcome })))!;
    const oracle = brierScore(test.map((s) => ({ p: s.q, outcome: s.outcome })))!;
    const raw = brierScore(test)!;
    expect(fitted).toBeLessThanOrEqual(oracle * 1.02);
    expect(raw).toBeGreaterThan(oracle * 1.05);
    expect(fitted).toBeLessThan(raw - 0.01);
    // With this much data it follows the data, not the prior.
    expect(Math.abs(model.a - TRUE_A)).toBeLessThan(0.2);
    expect(Math.abs(model.b - TRUE_B)).toBeLessThan(0.2);
  });

  it.each([1, 2, 3, 42, 1234])('5 outcomes: stays near the identity (seed %i)', (seed) => {
    const few = simulate(seed, 5);
    const model = fitRecalibration(few);
    expect(Math.abs(model.a)).toBeLessThan(1);
    expect(Math.abs(model.b - 1)).toBeLessThan(0.75);
    expect(maxShift(model)).toBeLessThan(0.2);
    // Without the prior the same 5 outcomes would move it much further.
    expect(maxShift(model)).toBeLessThan(maxShift(fitRecalibration(few, { priorStrength: 0 })));
  });

  it('pulls harder toward the identity as priorStrength grows', () => {
    const few = simulate(5, 30);
    const shifts = [0, 3, DEFAULT_PRIOR_STRENGTH, 100, 10_000].map((s) => maxShift(fitRecalibration(few, { priorStrength: s })));
    for (let i = 1; i < shifts.length; i++) expect(shifts[i]!).toBeLessThan(shifts[i - 1]!);
    expect(shifts[shifts.length - 1]!).toBeLessThan(0.01);
  });

  it('moves toward the true map as outcomes accumulate', () => {
    // Worst-case distance from the fitted map to the truth, averaged over seeds so one lucky draw
    // cannot carry it: few outcomes stay near the identity (far from the truth), many find the truth.
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const distance = (n: number): number => {
      const per = seeds.map((seed) => {
        const model = fitRecalibration(simulate(seed, n));
        return Math.max(...GRID.map((p) => Math.abs(applyRecalibration(model, p) - sigmoid(TRUE_A + TRUE_B * logit(p)))));
      });
      return per.reduce((s, d) => s + d, 0) / per.length;
    };
    const [few, some, many] = [5, 50, 2000].map(distance) as [number, number, number];
    expect(some).toBeLessThan(few);
    expect(many).toBeLessThan(some);
    expect(many).toBeLessThan(0.05);
    expect(few).toBeGreaterThan(0.1);
  });

  it('leaves well-calibrated forecasts alone', () => {
    const rng = mulberry32(77);
    const calibrated = Array.from({ length: 2000 }, () => {
      const p = 0.02 + 0.96 * rng();
      return { p, outcome: (rng() < p ? 1 : 0) as 0 | 1 };
    });
    expect(maxShift(fitRecalibration(calibrated))).toBeLessThan(0.05);
  });

  it('is deterministic', () => {
    const data = simulate(3, 500);
    expect(fitRecalibration(data)).toEqual(fitRecalibration(data));
  });
});

describe('fitRecalibration on degenerate data never returns NaN', () => {
  const rep = (n: number, p: number, outcome: 0 | 1): BinaryForecast[] => Array.from({ length: n }, () => ({ p, outcome }));

  it.each([
    { name: 'all outcomes 0', data: rep(50, 0.3, 0), direction: -1 },
    { name: 'all outcomes 1', data: rep(50, 0.3, 1), direction: 1 },
    { name: 'confidently wrong at 0.99', data: rep(200, 0.99, 0), direction: -1 },
    { name: 'confidently wrong at 0.01', data: rep(200, 0.01, 1), direction: 1 },
    { name: 'p exactly 0 and 1, all missed', data: [...rep(30, 0, 1), ...rep(30, 1, 0)], direction: 0 },
    { name: 'single sample', data: rep(1, 0.5, 1), direction: 1 },
    { name: 'mixed extremes', data: [...rep(10, 0.01, 0), ...rep(10, 0.99, 1), ...rep(5, 0.5, 1)], direction: 0 },
  ])('$name', ({ data, direction }) => {
    const model = fitRecalibration(data);
    expect(Number.isFinite(model.a)).toBe(true);
    expect(Number.isFinite(model.b)).toBe(true);
    expect(model.n).toBe(data.length);
    const p = data[0]!.p;
    const out = applyRecalibration(model, p);
    expect(out).toBeGreaterThan(0);
    expect(out).toBeLessThan(1);
    // It moves the stated probability toward what happened (when that direction is unambiguous).
    if (direction !== 0) expect(Math.sign(out - p)).toBe(direction);
  });

  it('all forecasts at one p: only the intercept moves, b stays 1', () => {
    const data = [...rep(30, 0.5, 1), ...rep(10, 0.5, 0)];
    const model = fitRecalibration(data);
    expect(model.b).toBeCloseTo(1, 6);
    // Stationarity of the penalised likelihood: 40·(0.75 − σ(a)) = λ_a·a, where λ_a = 10 × the mean of
    // p(1 − p) over the prior's grid 0.05..0.95 (= 0.175) + the 1e-3 ridge. So a ≈ 0.90: shrunk from
    // the unpenalised logit(0.75) ≈ 1.10 toward 0 by the 10 pseudo-observations.
    expect(40 * (0.75 - sigmoid(model.a))).toBeCloseTo((10 * 0.175 + 1e-3) * model.a, 6);
    expect(model.a).toBeGreaterThan(0.85);
    expect(model.a).toBeLessThan(logit(0.75));
  });

  it('n = 0 returns the identity', () => {
    expect(fitRecalibration([])).toEqual({ a: 0, b: 1, n: 0 });
  });

  it('random small data sets (sizes 0..40, extreme p included) always give a usable model', () => {
    const rng = mulberry32(2024);
    const extremes = [0, 1e-9, 0.01, 0.99, 1 - 1e-9, 1];
    for (let trial = 0; trial < 300; trial++) {
      const n = Math.floor(rng() * 41);
      const data = Array.from({ length: n }, () => {
        const p = rng() < 0.3 ? extremes[Math.floor(rng() * extremes.length)]! : rng();
        return { p, outcome: (rng() < 0.5 ? 1 : 0) as 0 | 1 };
      });
      const model = fitRecalibration(data, { priorStrength: rng() < 0.2 ? 0 : 10 });
      expect(Number.isFinite(model.a) && Number.isFinite(model.b)).toBe(true);
      for (const p of [0, 0.5, 1]) {
        const out = applyRecalibration(model, p);
        expect(out > 0 && out < 1).toBe(true);
      }
    }
  });

  it.each([
    { name: 'negative priorStrength', options: { priorStrength: -1 } },
    { name: 'NaN priorStrength', options: { priorStrength: Number.NaN } },
  ])('rejects $name', ({ options }) => {
    expect(() => fitRecalibration(rep(5, 0.5, 1), options)).toThrow(InputError);
  });
});

describe('applyRecalibration', () => {
  it.each([
    { name: 'identity leaves p alone', model: { a: 0, b: 1, n: 0 }, p: 0.3, expected: 0.3 },
    { name: 'intercept shifts the log-odds', model: { a: Math.log(3), b: 1, n: 9 }, p: 0.5, expected: 0.75 },
    { name: 'slope 2 squares the odds', model: { a: 0, b: 2, n: 9 }, p: 0.75, expected: 0.9 },
    { name: 'slope 0 forecasts σ(a) always', model: { a: 0, b: 0, n: 9 }, p: 0.99, expected: 0.5 },
  ])('$name', ({ model, p, expected }) => {
    expect(applyRecalibration(model, p)).toBeCloseTo(expected, 9);
  });

  it.each([0, 1])('keeps p = %i strictly inside (0, 1)', (p) => {
    const out = applyRecalibration({ a: 5, b: 3, n: 100 }, p);
    expect(out).toBeGreaterThan(0);
    expect(out).toBeLessThan(1);
  });

  it.each([
    { name: 'p out of range', model: { a: 0, b: 1, n: 0 }, p: 1.5 },
    { name: 'non-finite model', model: { a: Number.NaN, b: 1, n: 0 }, p: 0.5 },
  ])('rejects $name', ({ model, p }) => {
    expect(() => applyRecalibration(model, p)).toThrow(InputError);
  });
});

describe('recalibrationFor', () => {
  const data = simulate(8, 100);

  it('requires 20 outcomes by default', () => {
    expect(MIN_OUTCOMES_TO_RECALIBRATE).toBe(20);
  });

  it.each([
    { name: 'none', n: 0, min: undefined, fits: false },
    { name: 'one short of the default', n: 19, min: undefined, fits: false },
    { name: 'exactly the default', n: 20, min: undefined, fits: true },
    { name: 'custom threshold not met', n: 40, min: 50, fits: false },
    { name: 'custom threshold met', n: 5, min: 5, fits: true },
  ])('$name → model: $fits', ({ n, min, fits }) => {
    const samples = data.slice(0, n);
    const model = recalibrationFor(samples, min);
    if (fits) expect(model).toEqual(fitRecalibration(samples));
    else expect(model).toBeNull();
  });

  it('passes options through to the fit', () => {
    const samples = data.slice(0, 30);
    expect(recalibrationFor(samples, 20, { priorStrength: 100 })).toEqual(fitRecalibration(samples, { priorStrength: 100 }));
  });
});
