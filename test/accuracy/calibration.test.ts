// Calibration table binning (edges, p = 1, counts) and the Murphy decomposition's identity:
// exact when forecasts are constant within bins, within 0.01 on random forecasts.
import { describe, it, expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import { calibrationTable, murphyDecomposition } from '../../src/accuracy/calibration.js';
import { mulberry32 } from '../../src/accuracy/random.js';
import { brierScore } from '../../src/accuracy/scores.js';
import type { BinaryForecast } from '../../src/accuracy/types.js';

const f = (pairs: Array<[number, 0 | 1]>): BinaryForecast[] => pairs.map(([p, outcome]) => ({ p, outcome }));

/** The largest double below x (x > 0): where floor(p · bins) is most likely to round the wrong way. */
function previousFloat(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

function randomForecasts(seed: number, n: number): BinaryForecast[] {
  const rng = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const p = rng();
    // Slightly miscalibrated truth so reliability is not trivially ~0.
    const q = Math.min(1, Math.max(0, 0.1 + 0.8 * p));
    return { p, outcome: rng() < q ? 1 : 0 };
  });
}

describe('calibrationTable', () => {
  it('has `bins` rows with equal-width edges covering [0, 1]', () => {
    const rows = calibrationTable([], 4);
    expect(rows.map((r) => [r.lower, r.upper])).toEqual([
      [0, 0.25],
      [0.25, 0.5],
      [0.5, 0.75],
      [0.75, 1],
    ]);
    expect(rows.every((r) => r.count === 0 && r.meanForecast === null && r.observedRate === null)).toBe(true);
  });

  it.each([
    { name: 'p = 1 lands in the last bin', p: 1, bins: 10, bin: 9 },
    { name: 'p = 0 lands in the first bin', p: 0, bins: 10, bin: 0 },
    { name: 'lower edges are inclusive (0.1)', p: 0.1, bins: 10, bin: 1 },
    { name: 'lower edges are inclusive (0.3)', p: 0.3, bins: 10, bin: 3 },
    { name: 'lower edges are inclusive (0.7)', p: 0.7, bins: 10, bin: 7 },
    { name: 'just under an edge', p: 0.3 - 1e-12, bins: 10, bin: 2 },
    // Round-off traps: 0.8999999999999999 · 10 rounds up to 9, yet it is below the 0.9 edge...
    { name: 'the float just below 0.9', p: 0.8999999999999999, bins: 10, bin: 8 },
    // ...and 1/49 · 49 rounds down to 0.9999999999999999, yet 1/49 is the lower edge of bin 1.
    { name: 'the edge 1/49 with 49 bins', p: 1 / 49, bins: 49, bin: 1 },
    { name: 'a single bin takes everything', p: 1, bins: 1, bin: 0 },
  ])('$name', ({ p, bins, bin }) => {
    const rows = calibrationTable([{ p, outcome: 1 }], bins);
    expect(rows.findIndex((r) => r.count === 1)).toBe(bin);
  });

  it.each([3, 7, 10, 20, 49])('every forecast is inside the row it is counted in (%i bins)', (bins) => {
    const rng = mulberry32(bins);
    const edges = Array.from({ length: bins + 1 }, (_, k) => k / bins);
    const ps = [...edges, ...edges.filter((e) => e > 0).map(previousFloat), ...Array.from({ length: 300 }, () => rng())];
    for (const p of ps) {
      const row = calibrationTable([{ p, outcome: 0 }], bins).find((r) => r.count === 1);
      expect(row).toBeDefined();
      expect(p).toBeGreaterThanOrEqual(row!.lower);
      if (p < 1) expect(p).toBeLessThan(row!.upper);
    }
  });

  it('counts sum to N and per-bin means are right', () => {
    const input = f([[0.05, 0], [0.08, 1], [0.55, 1], [0.55, 1], [0.59, 0], [1, 1]]);
    const rows = calibrationTable(input);
    expect(rows.reduce((s, r) => s + r.count, 0)).toBe(input.length);
    expect(rows[0]).toMatchObject({ count: 2, observedRate: 0.5 });
    expect(rows[0]!.meanForecast).toBeCloseTo(0.065, 12);
    expect(rows[5]).toMatchObject({ count: 3, observedRate: 2 / 3 });
    expect(rows[5]!.meanForecast).toBeCloseTo(1.69 / 3, 12);
    expect(rows[9]).toMatchObject({ count: 1, meanForecast: 1, observedRate: 1 });
    expect(rows[3]).toMatchObject({ count: 0, meanForecast: null, observedRate: null });
  });

  it('counts sum to N on 2,000 random forecasts', () => {
    const input = randomForecasts(11, 2000);
    expect(calibrationTable(input, 10).reduce((s, r) => s + r.count, 0)).toBe(2000);
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects bins = %s', (bins) => {
    expect(() => calibrationTable([], bins)).toThrow(InputError);
  });
});

describe('murphyDecomposition', () => {
  it('hand example: calibrated bins give reliability 0 and brier = uncertainty − resolution', () => {
    // 4 at 0.25 with 1 hit, 4 at 0.75 with 3 hits; ō = 0.5.
    const input = f([
      [0.25, 1], [0.25, 0], [0.25, 0], [0.25, 0],
      [0.75, 1], [0.75, 1], [0.75, 1], [0.75, 0],
    ]);
    const m = murphyDecomposition(input)!;
    expect(m.reliability).toBeCloseTo(0, 12);
    expect(m.resolution).toBeCloseTo(0.0625, 12);
    expect(m.uncertainty).toBeCloseTo(0.25, 12);
    expect(m.brier).toBeCloseTo(0.1875, 12);
  });

  it.each([
    { name: 'three constant bins', input: f([[0.05, 0], [0.05, 1], [0.35, 0], [0.35, 0], [0.35, 1], [0.85, 1], [0.85, 0]]) },
    { name: 'overconfident', input: f([[0.95, 0], [0.95, 1], [0.95, 0], [0.02, 1], [0.02, 0]]) },
    { name: 'one bin', input: f([[0.6, 1], [0.6, 0], [0.6, 0]]) },
    { name: 'extremes', input: f([[0, 0], [0, 1], [1, 1], [1, 0], [1, 1]]) },
  ])('adds up to the Brier score exactly when forecasts are constant within bins: $name', ({ input }) => {
    const m = murphyDecomposition(input)!;
    expect(m.brier).toBeCloseTo(brierScore(input)!, 12);
    expect(m.reliability - m.resolution + m.uncertainty).toBeCloseTo(m.brier, 12);
  });

  it.each([1, 2, 3])('adds up to within 0.01 on 2,000 random forecasts (seed %i)', (seed) => {
    const input = randomForecasts(seed, 2000);
    const m = murphyDecomposition(input)!;
    expect(m.brier).toBeCloseTo(brierScore(input)!, 12);
    expect(Math.abs(m.reliability - m.resolution + m.uncertainty - m.brier)).toBeLessThan(0.01);
    // The truth is 0.1 + 0.8p, so there is real miscalibration and real resolution to find.
    expect(m.reliability).toBeGreaterThan(0.001);
    expect(m.resolution).toBeGreaterThan(0.02);
  });

  it('is null for no forecasts', () => {
    expect(murphyDecomposition([])).toBeNull();
  });
});
