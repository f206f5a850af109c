// The digest reads stored running sums, not the resolved rows: what it shows is what the rows give, also
// when some outcomes were recorded after the moment it describes (an injected clock) and when answers were
// replaced, taken back, "not adopted" or "followed the alternative" along the way.
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it } from 'vitest';
import { brierScore, baseRateBrier } from '../../src/accuracy/scores.js';
import { successMetrics } from '../../src/accuracy/success-metrics.js';
import { summariseAccuracy } from '../../src/accuracy/summary.js';
import { mulberry32 } from '../../src/accuracy/random.js';
import { buildDigest } from '../../src/service/digest-service.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { NewConsultation } from '../../src/store/types.js';
import { saved, START, DAY_MS } from '../store/contract/context.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

afterAll(() => removeTempDirs());

/** Numbers within 1e-9, everything else equal. */
function expectClose(a: unknown, b: unknown, path = ''): void {
  if (typeof a === 'number' && typeof b === 'number') return void expect(a, path).toBeCloseTo(b, 9);
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(b).sort());
    for (const k of Object.keys(a)) expectClose((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(a, path).toStrictEqual(b);
}

describe('the digest from stored sums', () => {
  it('shows what the resolved rows up to `now` give: accuracy, the four metrics, the trend and this week', async () => {
    const store = openSqliteStore(join(makeTempDir(), 'rc.db'));
    const random = mulberry32(41);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const made: NewConsultation[] = [];
    for (let i = 0; i < 40; i++) made.push(await saved(store, { workspace: 'T1', createdAt: START + i * DAY_MS, topic: pick(['kubernetes', 'microservices']) }));
    // Outcomes over ten weeks, some after `now`; answers replaced and taken back on the way.
    const now = START + 60 * DAY_MS;
    for (let step = 0; step < 120; step++) {
      const c = pick(made);
      const failureModes: Record<string, boolean | null> = {};
      for (const p of c.predictions) failureModes[p.failureMode] = pick([true, false, false, null, undefined]) ?? false;
      const at = START + Math.floor(random() * 70) * DAY_MS;
      const followedAlternative = pick([undefined, true, false]);
      const notAdopted = pick([undefined, undefined, undefined, undefined, true, false]);
      await store.consultations.recordOutcomes('T1', c.id, { failureModes, ...(followedAlternative === undefined ? {} : { followedAlternative }), ...(notAdopted === undefined ? {} : { notAdopted }) }, 'U1', at);
    }
    const all = await store.consultations.resolvedForecasts('T1');
    const rows = all.filter((f) => f.recordedAt <= now);
    expect(all.length - rows.length, 'some outcomes are after now').toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(20);

    const digest = await buildDigest(store, 'T1', now);
    const estimates = (await store.consultations.resolvedEstimates('T1')).filter((e) => e.recordedAt <= now);
    const accuracy = summariseAccuracy(rows, estimates);
    expectClose(digest.accuracy, accuracy);
    const metrics = successMetrics(accuracy, rows, estimates);
    expectClose(digest.metrics.predictionAccuracy, metrics.predictionAccuracy);
    expectClose(digest.metrics.failurePrevention.bySeverity, metrics.failurePrevention.bySeverity);
    expectClose({ ...digest.metrics.failurePrevention, alternative: undefined }, { ...metrics.failurePrevention, alternative: undefined });
    // The consultations counted beside "followed the alternative" are exact whenever a consultation's
    // outcomes are not split across `now` and the weeks before the trend (here they may be).
    expect(digest.metrics.failurePrevention.alternative.followed.resolved).toBe(metrics.failurePrevention.alternative.followed.resolved);
    expect(digest.metrics.failurePrevention.alternative.notFollowed.resolved).toBe(metrics.failurePrevention.alternative.notFollowed.resolved);
    // Each week of the trend holds everything recorded before the week's end (and not after `now`).
    const weekStart = DateTime.fromMillis(now, { zone: 'UTC' }).startOf('week');
    for (const [i, week] of digest.trend.entries()) {
      const end = weekStart.plus({ weeks: i - 2 }).toMillis();
      const upTo = rows.filter((f) => f.recordedAt < Math.min(end, now + 1)).map((f) => ({ p: f.probability, outcome: f.happened }));
      expect(week.resolved, week.week).toBe(upTo.length);
      if (upTo.length > 0) {
        expect(week.brier!, week.week).toBeCloseTo(brierScore(upTo)!, 9);
        expect(week.baseline!, week.week).toBeCloseTo(baseRateBrier(upTo)!, 9);
      }
    }
    expect(new Set(digest.trend.map((w) => w.resolved)).size, 'the weeks differ').toBeGreaterThan(1);
    expect(digest.trend[3]!.resolved).toBe(rows.length);
    expect(digest.resolvedThisWeek).toBe(rows.filter((f) => f.recordedAt >= weekStart.toMillis()).length);
    await store.close();
  });
});
