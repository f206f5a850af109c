// The four success metrics in words, as the digest and `report` print them: each by its name, with the
// numbers, "not yet" without data and "not enough data" for the alternative until both groups have some.
import { describe, expect, it } from 'vitest';
import { successMetrics } from '../../src/accuracy/success-metrics.js';
import { summariseAccuracy } from '../../src/accuracy/summary.js';
import { successMetricLines } from '../../src/present/success-metrics.js';
import { ESTIMATES, FAILURE_MODES } from '../helpers/outcomes.js';

describe('successMetricLines', () => {
  it('names the four metrics, with the numbers', () => {
    const lines = successMetricLines(successMetrics(summariseAccuracy(FAILURE_MODES, ESTIMATES), FAILURE_MODES, ESTIMATES));
    expect(lines.map((l) => l.split(':')[0])).toEqual(['Prediction accuracy', 'Cost estimation', 'Failure prevention', 'Failure prevention, suggested alternative', 'Time to production']);
    expect(lines[1]).toBe('Cost estimation: actuals typically 1.5× the predicted cost, median |log(actual/predicted)| 0.41; 67% inside the 80% range (target 80%), 3 resolved');
    expect(lines[2]).toBe('Failure prevention: 50% of predicted failure modes occurred (predicted 47%), 6 resolved; by severity: high 100% of 2, medium 0% of 2, low 100% of 1, unknown 0% of 1');
    expect(lines[3]).toBe('Failure prevention, suggested alternative: 50% occurred when followed (2 in 1 consultation) vs 67% when not (3 in 2 consultations)');
    expect(lines[4]).toBe('Time to production: actual 5.5 months vs 5 predicted (medians), actuals typically 1× the predicted months, median |log(actual/predicted)| 0.69; 100% inside the 80% range (target 80%), 2 resolved');
  });

  it('says "not yet" for each metric without data, and "not enough data" for the alternative', () => {
    const lines = successMetricLines(successMetrics(summariseAccuracy([], []), [], []));
    expect(lines).toEqual([
      'Prediction accuracy: no resolved predictions yet',
      'Cost estimation: no actual costs recorded yet',
      'Failure prevention: no resolved failure modes yet',
      'Failure prevention, suggested alternative: not enough data yet (outcomes from 0 consultations that followed it, 0 that did not)',
      'Time to production: no actual times recorded yet',
    ]);
  });
});
