// The four success metrics in a workspace's weekly digest, from outcomes recorded through ConsultService
// over a real SQLite file: by name, computed from the stored severities and actuals, the alternative
// comparison "not enough data" until both groups have outcomes; Slack blocks and Teams card show them.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { ConsultService, type Clock } from '../../src/service/consult-service.js';
import { buildDigest } from '../../src/service/digest-service.js';
import { renderDigestBlocks } from '../../src/slack/blocks/digest.js';
import { openStore, type Store } from '../../src/store/index.js';
import { renderDigestCard } from '../../src/teams/cards/digest.js';
import { KUBERNETES_ANSWERS } from '../helpers/answers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const START = Date.UTC(2025, 2, 3, 9, 30, 0);
const WS = 'T-DIGEST';
const ADMIN = { userId: 'U1', isAdmin: true };
const kb = loadKnowledge(KNOWLEDGE_DIR);

class FakeClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

let store: Store;
let clock: FakeClock;
let service: ConsultService;

beforeEach(async () => {
  store = await openStore({ path: join(makeTempDir(), 'data', 'rc.db') }, { now: START });
  clock = new FakeClock(START);
  // Learning off: the estimates shown are the knowledge base's, so the expected ratios are exact.
  service = new ConsultService(kb, store, clock, null);
});

afterEach(async () => {
  await store.close();
  removeTempDirs();
});

/** A consultation whose failure modes all happened (or none did), with actuals at `ratio` × the p50s. */
async function resolved(options: { happened: boolean; followed?: boolean; ratio: number }) {
  clock.t += 60_000;
  const { row, assessment } = await service.consult({ workspace: WS, platform: 'slack', channel: 'C1', userId: 'U1', question: 'k8s?', topic: 'kubernetes', answers: KUBERNETES_ANSWERS });
  await service.resolve(WS, row.id, ADMIN, {
    failureModes: Object.fromEntries(assessment.failureModes.map((f) => [f.id, options.happened])),
    actualCost: assessment.cost.p50 * options.ratio,
    actualMonths: assessment.time.p50 * options.ratio,
    ...(options.followed === undefined ? {} : { followedAlternative: options.followed }),
  });
  return assessment;
}

const line = (lines: string[], name: string): string => lines.find((l) => l.startsWith(`${name}:`)) ?? '';

describe('the four success metrics in the digest', () => {
  it('before any outcome, each says so', async () => {
    const d = await buildDigest(store, WS, START);
    expect(line(d.lines, 'Prediction accuracy')).toBe('Prediction accuracy: no resolved predictions yet');
    expect(line(d.lines, 'Cost estimation')).toBe('Cost estimation: no actual costs recorded yet');
    expect(line(d.lines, 'Failure prevention')).toBe('Failure prevention: no resolved failure modes yet');
    expect(line(d.lines, 'Time to production')).toBe('Time to production: no actual times recorded yet');
  });

  it('from stored outcomes: Brier, cost and time against the prediction, occurrence by severity', async () => {
    const assessment = await resolved({ happened: true, ratio: 2 });
    await resolved({ happened: false, ratio: 2 });
    const d = await buildDigest(store, WS, clock.t);
    const m = d.metrics;
    expect(m.predictionAccuracy.brier).toBe(d.accuracy.brier);
    expect(m.costEstimation).toMatchObject({ resolved: 2, hitRate: d.accuracy.cost.hitRate });
    expect(m.costEstimation.typicalRatio).toBeCloseTo(2, 10);
    expect(m.costEstimation.medianAbsLogError).toBeCloseTo(Math.log(2), 10);
    expect(m.timeToProduction.typicalRatio).toBeCloseTo(2, 10);
    expect(m.timeToProduction.medianActualMonths).toBeCloseTo(assessment.time.p50 * 2, 10);
    // Every failure mode happened in one consultation and not in the other: half occurred in each severity.
    const severities = new Set(assessment.failureModes.map((f) => f.severity));
    for (const s of m.failurePrevention.bySeverity) {
      expect(s.severity).not.toBe('unknown');
      if (severities.has(s.severity as 'low')) expect(s.rate).toBe(0.5);
      else expect(s.resolved).toBe(0);
    }
    expect(line(d.lines, 'Cost estimation')).toMatch(/^Cost estimation: actuals typically 2× the predicted cost, median \|log\(actual\/predicted\)\| 0\.69; /);
    expect(line(d.lines, 'Time to production')).toContain('actuals typically 2× the predicted months');
    expect(line(d.lines, 'Failure prevention')).toContain('50% of predicted failure modes occurred');
  });

  it('compares following the suggested alternative only once both groups have outcomes', async () => {
    await resolved({ happened: false, followed: true, ratio: 1 });
    await resolved({ happened: true, ratio: 1 });
    let d = await buildDigest(store, WS, clock.t);
    expect(d.metrics.failurePrevention.alternative.status).toBe('not-enough-data');
    expect(line(d.lines, 'Failure prevention, suggested alternative')).toBe(
      'Failure prevention, suggested alternative: not enough data yet (outcomes from 1 consultation that followed it, 0 that did not)',
    );

    await resolved({ happened: true, followed: false, ratio: 1 });
    d = await buildDigest(store, WS, clock.t);
    const a = d.metrics.failurePrevention.alternative;
    expect(a.status).toBe('compared');
    expect([a.followed.rate, a.notFollowed.rate, a.difference]).toEqual([0, 1, 1]);
    expect(line(d.lines, 'Failure prevention, suggested alternative')).toMatch(/^Failure prevention, suggested alternative: 0% occurred when followed \(\d+ in 1 consultation\) vs 100% when not \(\d+ in 1 consultation\)$/);
  });

  it('Slack blocks and the Teams card carry the metric lines', async () => {
    await resolved({ happened: true, followed: true, ratio: 1.5 });
    const d = await buildDigest(store, WS, clock.t);
    const slack = JSON.stringify(renderDigestBlocks(d));
    const teams = JSON.stringify(renderDigestCard(d, { withChart: false }));
    for (const name of ['Prediction accuracy:', 'Cost estimation:', 'Failure prevention:', 'Time to production:']) {
      expect(slack).toContain(name);
      expect(teams).toContain(name);
    }
  });
});
