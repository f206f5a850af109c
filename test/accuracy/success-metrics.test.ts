// The four success metrics computed from resolved outcomes, checked against hand-worked values; the
// alternative comparison stays "not enough data" until both groups have outcomes.
import { describe, expect, it } from 'vitest';
import { successMetrics } from '../../src/accuracy/success-metrics.js';
import { summariseAccuracy } from '../../src/accuracy/summary.js';
import { ESTIMATES, FAILURE_MODES } from '../helpers/outcomes.js';

describe('successMetrics', () => {
  const summary = summariseAccuracy(FAILURE_MODES, ESTIMATES);
  const m = successMetrics(summary, FAILURE_MODES, ESTIMATES);

  it('prediction accuracy is the summary\'s Brier and calibration', () => {
    expect(m.predictionAccuracy).toEqual({
      resolved: 6,
      brier: summary.brier,
      baselineBrier: summary.baselineBrier,
      reliability: summary.murphy!.reliability,
      resolution: summary.murphy!.resolution,
    });
    // (0.2² + 0.4² + 0.4² + 0.8² + 0.5² + 0.3²) / 6
    expect(m.predictionAccuracy.brier).toBeCloseTo((0.04 + 0.16 + 0.16 + 0.64 + 0.25 + 0.09) / 6, 12);
  });

  it('cost estimation: median |log(actual/p50)|, typical ratio and hit-rate over positive actuals', () => {
    // ln(1.5), ln(4), ln(1): median |·| = ln 1.5; median signed = ln 1.5; inside: 150 and 100.
    expect(m.costEstimation.resolved).toBe(3);
    expect(m.costEstimation.medianAbsLogError).toBeCloseTo(Math.log(1.5), 12);
    expect(m.costEstimation.typicalRatio).toBeCloseTo(1.5, 12);
    expect(m.costEstimation.hitRate).toBeCloseTo(2 / 3, 12);
  });

  it('time to production: medians of actual and predicted months, ratio and hit-rate', () => {
    // ln(8/4) = ln 2, ln(3/6) = −ln 2: median signed 0 → ratio 1; |·| both ln 2.
    expect(m.timeToProduction).toEqual({
      resolved: 2,
      medianAbsLogError: Math.log(2),
      typicalRatio: 1,
      hitRate: 1,
      medianPredictedMonths: 5,
      medianActualMonths: 5.5,
    });
  });

  it('failure prevention: the share that occurred, overall and by severity (unknown kept apart)', () => {
    expect(m.failurePrevention.resolved).toBe(6);
    expect(m.failurePrevention.occurred).toBe(3);
    expect(m.failurePrevention.rate).toBeCloseTo(0.5, 12);
    expect(m.failurePrevention.meanPredicted).toBeCloseTo(2.8 / 6, 12);
    expect(m.failurePrevention.bySeverity.map((s) => [s.severity, s.resolved, s.occurred, s.rate])).toEqual([
      ['high', 2, 2, 1],
      ['medium', 2, 0, 0],
      ['low', 1, 1, 1],
      ['unknown', 1, 0, 0],
    ]);
  });

  it('compares consultations that followed the alternative with those that did not', () => {
    const a = m.failurePrevention.alternative;
    expect(a.status).toBe('compared');
    expect(a.followed).toMatchObject({ consultations: 1, resolved: 2, occurred: 1, rate: 0.5 });
    expect(a.notFollowed).toMatchObject({ consultations: 2, resolved: 3, occurred: 2 });
    expect(a.difference).toBeCloseTo(2 / 3 - 0.5, 12);
  });

  it.each([
    ['nobody answered', FAILURE_MODES.map((f) => ({ ...f, followedAlternative: null })), 0, 0],
    ['only followers', FAILURE_MODES.filter((f) => f.followedAlternative !== false), 1, 0],
    ['only non-followers', FAILURE_MODES.filter((f) => f.followedAlternative !== true), 0, 2],
  ])('not enough data when %s', (_name, rows, followed, notFollowed) => {
    const a = successMetrics(summariseAccuracy(rows, []), rows, []).failurePrevention.alternative;
    expect(a.status).toBe('not-enough-data');
    expect(a.difference).toBeNull();
    expect([a.followed.consultations, a.notFollowed.consultations]).toEqual([followed, notFollowed]);
  });

  it('nothing resolved: every number is null or 0, no unknown severity row', () => {
    const empty = successMetrics(summariseAccuracy([], []), [], []);
    expect(empty.predictionAccuracy).toEqual({ resolved: 0, brier: null, baselineBrier: null, reliability: null, resolution: null });
    expect(empty.costEstimation).toEqual({ resolved: 0, medianAbsLogError: null, typicalRatio: null, hitRate: null });
    expect(empty.failurePrevention.rate).toBeNull();
    expect(empty.failurePrevention.bySeverity.map((s) => s.severity)).toEqual(['high', 'medium', 'low']);
    expect(empty.timeToProduction.medianActualMonths).toBeNull();
  });
});
