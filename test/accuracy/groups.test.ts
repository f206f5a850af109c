// Accuracy from running sums: for any resolved rows, the summary and the four metrics computed from their
// scoring groups are the ones the row-based functions give (to floating-point rounding), and moving rows
// out of a scoring undoes moving them in.
import { describe, expect, it } from 'vitest';
import { moveForecasts, scoreForecasts, successMetricsOfScoring, summariseScoring, type ScoredForecast } from '../../src/accuracy/groups.js';
import { mulberry32 } from '../../src/accuracy/random.js';
import { successMetrics, type SeverityLevel } from '../../src/accuracy/success-metrics.js';
import { summariseAccuracy, type ResolvedInterval } from '../../src/accuracy/summary.js';

function rows(seed: number, count: number): ScoredForecast[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => ({
    consultationId: `c${Math.floor(i / 3)}`,
    topic: pick(['kubernetes', 'microservices', 'zero-trust']),
    failureMode: pick(['a', 'b', 'c', 'd']),
    knowledgeVersion: pick(['v1', 'v2']),
    severity: pick<SeverityLevel | null>(['high', 'medium', 'low', null]),
    followedAlternative: [true, false, null][Math.floor(i / 3) % 3]!,
    // Edges of the calibration bins, and values anywhere.
    probability: pick([0.1, 0.2, 0.3, 0.7, 0.9, 0.999, 1e-7, random(), random()]) || 0.5,
    happened: random() < 0.4 ? 1 : 0,
  }));
}

const estimates: ResolvedInterval[] = [
  { kind: 'cost', p10: 1, p50: 2, p90: 4, actual: 3 },
  { kind: 'time', p10: 2, p50: 5, p90: 9, actual: 11 },
];

/** Every number in `a` is within 1e-9 of the one in the same place in `b`; everything else is equal. */
function expectClose(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    expect(a, path).toBeCloseTo(b, 9);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(a, path).toStrictEqual(b);
}

describe('accuracy from scoring groups', () => {
  for (const [seed, count] of [[1, 0], [2, 1], [3, 40], [4, 500]] as const) {
    it(`agrees with the row-based summary and metrics (${count} rows)`, () => {
      const r = rows(seed, count);
      const fromRows = summariseAccuracy(r.map((f) => ({ ...f })), estimates);
      const fromSums = summariseScoring(scoreForecasts(r), estimates);
      expectClose(fromSums, fromRows);
      expectClose(successMetricsOfScoring(fromSums, scoreForecasts(r), estimates), successMetrics(fromRows, r, estimates));
    });
  }

  it('moving rows out undoes moving them in', () => {
    const all = rows(5, 300);
    const [first, later] = [all.slice(0, 200), all.slice(200)];
    const moved = moveForecasts(scoreForecasts(all), later, -1);
    expectClose(summariseScoring(moved, []), summariseScoring(scoreForecasts(first), []));
  });

  it('counts each consultation once per side of "followed the alternative"', () => {
    const s = scoreForecasts(rows(6, 30));
    // 10 consultations of 3 rows each, cycling followed, not followed, not said.
    expect(s.consultations).toStrictEqual({ followed: 4, notFollowed: 3 });
  });
});
