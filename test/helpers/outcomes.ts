// Resolved outcomes with hand-workable numbers, shared by the success-metric tests (the math and its wording).
import type { ResolvedFailureMode } from '../../src/accuracy/success-metrics.js';
import type { ResolvedInterval } from '../../src/accuracy/summary.js';

function fm(consultationId: string, probability: number, happened: 0 | 1, severity: ResolvedFailureMode['severity'], followedAlternative: boolean | null = null) {
  return { consultationId, topic: 'kubernetes', failureMode: `fm-${probability}`, knowledgeVersion: 'v1', probability, happened, severity, followedAlternative };
}

export const FAILURE_MODES = [
  fm('a', 0.8, 1, 'high', true),
  fm('a', 0.4, 0, 'medium', true),
  fm('b', 0.6, 1, 'high', false),
  fm('b', 0.2, 1, 'low', false),
  fm('c', 0.5, 0, 'medium', false),
  fm('d', 0.3, 0, null),
];

export const ESTIMATES: ResolvedInterval[] = [
  { kind: 'cost', p10: 50, p50: 100, p90: 200, actual: 150 },
  { kind: 'cost', p10: 50, p50: 100, p90: 200, actual: 400 },
  { kind: 'cost', p10: 50, p50: 100, p90: 200, actual: 100 },
  { kind: 'cost', p10: 50, p50: 100, p90: 200, actual: 0 },
  { kind: 'time', p10: 2, p50: 4, p90: 8, actual: 8 },
  { kind: 'time', p10: 3, p50: 6, p90: 12, actual: 3 },
];
