// buildDigest over a real SQLite file whose outcomes were recorded through ConsultService.resolve at
// controlled times: resolved counts, Brier and its base-rate baseline against an independent
// computation from the stored probabilities, the 4-week trend, surprises, interval hit-rates, scoping.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextQuestion } from '../../src/consult/questionnaire.js';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load.js';
import type { Topic } from '../../src/knowledge/schema.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { ConsultService, type Clock } from '../../src/service/consult-service.js';
import { buildDigest } from '../../src/service/digest-service.js';
import type { Store } from '../../src/store/types.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import type { OutcomeInput } from '../../src/store/types.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const DAY = 86_400_000;
const utc = (y: number, mo: number, d: number, h = 12, mi = 0): number => Date.UTC(y, mo - 1, d, h, mi);
const WS = 'T0001';
const OTHER = 'T0OTHER';
/** Wednesday of ISO week 2025-W11 (weeks start Monday 2025-03-10). */
const NOW = utc(2025, 3, 12);

const X = 'learning-curve-stall';
const Y = 'network-policy-debugging';
const Z = 'rbac-security-gap';
const W = 'local-dev-slowdown';

/** Walks the questionnaire taking choice `pick(questionIndex, choiceCount)` for every question that applies. */
function answersFor(topic: Topic, pick: (i: number, n: number) => number): Record<string, string> {
  const answers: Record<string, string> = {};
  let i = 0;
  for (let q = nextQuestion(topic, answers); q; q = nextQuestion(topic, answers)) answers[q.id] = q.choices[pick(i++, q.choices.length)]!.id;
  return answers;
}

interface Resolved {
  consultation: string;
  failureMode: string;
  p: number;
  outcome: 0 | 1;
  at: number;
}

let kb: KnowledgeBase;
let store: Store;
const clock = { t: utc(2025, 1, 6), now: (): number => clock.t } satisfies Clock & { t: number };
let service: ConsultService;
/** Our own ledger of every resolution that should count, built from the stored predictions. */
const ledger: Resolved[] = [];
const ids: Record<string, string> = {};

async function consult(workspace: string, topicId: string, answers: Record<string, string>, userId = 'U0001'): Promise<string> {
  return (await service.consult({ workspace, platform: 'slack', channel: 'C0001', userId, question: `should we adopt ${topicId}?`, topic: topicId, answers })).row.id;
}

/** Resolves through the service at time `at`, and notes what should now count (adopted consultations only). */
async function resolve(workspace: string, id: string, at: number, outcomes: OutcomeInput, counts = true): Promise<void> {
  clock.t = at;
  await service.resolve(workspace, id, { userId: 'U0001', isAdmin: false }, outcomes);
  if (!counts) return;
  for (const p of await store.consultations.predictions(workspace, id)) {
    if (p.failureMode in outcomes.failureModes && p.happened !== null) {
      ledger.push({ consultation: id, failureMode: p.failureMode, p: p.probability, outcome: p.happened ? 1 : 0, at });
    }
  }
}

const brierOf = (rows: Resolved[]): number => rows.reduce((s, r) => s + (r.p - r.outcome) ** 2, 0) / rows.length;
const baselineOf = (rows: Resolved[]): number => {
  const o = rows.reduce((s, r) => s + r.outcome, 0) / rows.length;
  return o * (1 - o);
};

beforeAll(async () => {
  kb = loadKnowledge(KNOWLEDGE_DIR);
  store = openSqliteStore(join(makeTempDir('rc-digest-'), 'rc.db'), { now: clock.t });
  service = new ConsultService(kb, store, clock);
  const k8s = kb.topics.get('kubernetes')!;

  // Four adopted kubernetes consultations with different answers (so different probabilities),
  // created in early January; one that was not adopted; one in another workspace.
  ids.c1 = await consult(WS, 'kubernetes', answersFor(k8s, () => 0));
  ids.c2 = await consult(WS, 'kubernetes', answersFor(k8s, (_i, n) => n - 1));
  ids.c3 = await consult(WS, 'kubernetes', answersFor(k8s, (i, n) => i % n));
  ids.c4 = await consult(WS, 'kubernetes', answersFor(k8s, (i, n) => (i + 1) % n));
  ids.c5 = await consult(WS, 'kubernetes', answersFor(k8s, () => 1));
  ids.o1 = await consult(OTHER, 'kubernetes', answersFor(k8s, () => 0));

  // W05, W08, W10 and this week (W11).
  await resolve(WS, ids.c1, utc(2025, 1, 29), { failureModes: { [X]: true, [Y]: true, [Z]: false, [W]: true } });
  await resolve(WS, ids.c2, utc(2025, 2, 19), { failureModes: { [X]: true, [Y]: true, [Z]: false } });
  await resolve(WS, ids.c3, utc(2025, 3, 5), { failureModes: { [X]: true, [Z]: true } });
  await resolve(WS, ids.c4, utc(2025, 3, 11), { failureModes: { [X]: false, [W]: false } });
  // Not adopted: its answers are stored but must not count.
  await resolve(WS, ids.c5, utc(2025, 3, 11, 13), { failureModes: { [X]: true, [Y]: false, [Z]: true }, notAdopted: true }, false);
  // Another workspace: must not count here.
  await resolve(OTHER, ids.o1, utc(2025, 3, 11, 14), { failureModes: { [X]: false, [Y]: false, [Z]: false, [W]: false } }, false);

  // Actual cost and time: cost inside p10–p90 once, outside once; time inside twice, outside once.
  const est = async (id: string, kind: 'cost' | 'time') => (await store.consultations.estimates(WS, id)).find((e) => e.kind === kind)!;
  await resolve(WS, ids.c1, utc(2025, 1, 30), { failureModes: {}, actualCost: (await est(ids.c1, 'cost')).p50, actualMonths: (await est(ids.c1, 'time')).p90 * 3 });
  await resolve(WS, ids.c2, utc(2025, 2, 20), { failureModes: {}, actualCost: (await est(ids.c2, 'cost')).p90 * 10 });
  await resolve(WS, ids.c3, utc(2025, 3, 6), { failureModes: {}, actualMonths: (await est(ids.c3, 'time')).p10 });
  await resolve(WS, ids.c4, utc(2025, 3, 11, 15), { failureModes: {}, actualMonths: (await est(ids.c4, 'time')).p50 });

  // This week's new consultations: one kubernetes, one microservices.
  clock.t = utc(2025, 3, 10, 9);
  await consult(WS, 'kubernetes', answersFor(k8s, () => 0));
  clock.t = utc(2025, 3, 11, 9);
  await consult(WS, 'microservices', answersFor(kb.topics.get('microservices')!, () => 0));
  clock.t = NOW;
});

afterAll(async () => {
  await store.close();
  removeTempDirs();
});

describe('buildDigest', () => {
  it('counts the resolved predictions of adopted consultations in this workspace only', async () => {
    const d = await buildDigest(store, WS, NOW);
    expect(ledger).toHaveLength(11);
    expect(d.accuracy.resolved).toBe(11);
    expect(d.resolvedThisWeek).toBe(2); // c4's two answers on Tuesday of W11
    expect(d.weekLabel).toBe('2025-W11');
    expect(d.workspace).toBe(WS);
    expect(d.lines).toContain('Predictions resolved this week: 2; resolved in all: 11');
  });

  it('has a Brier score equal to an independent computation from the stored probabilities, and the ō(1−ō) baseline', async () => {
    const d = await buildDigest(store, WS, NOW);
    // The consultations really have different probabilities, so the check discriminates.
    expect(new Set(ledger.filter((r) => r.failureMode === X).map((r) => r.p)).size).toBeGreaterThan(1);
    const brier = brierOf(ledger);
    const happened = ledger.filter((r) => r.outcome === 1).length;
    expect(happened).toBe(7);
    const o = happened / ledger.length;
    expect(d.accuracy.brier).toBeCloseTo(brier, 12);
    expect(d.accuracy.baselineBrier).toBeCloseTo(o * (1 - o), 12);
    expect(d.lines).toContain(`Brier score (0–1 binary form, lower is better): ${brier.toFixed(3)} vs ${(o * (1 - o)).toFixed(3)} for always forecasting the base rate`);
  });

  it('has a 4-week trend, oldest first, of everything resolved up to the end of each week', async () => {
    const d = await buildDigest(store, WS, NOW);
    expect(d.trend.map((t) => t.week)).toEqual(['2025-W08', '2025-W09', '2025-W10', '2025-W11']);
    const upTo = (end: number) => ledger.filter((r) => r.at < end);
    const ends = [utc(2025, 2, 24, 0), utc(2025, 3, 3, 0), utc(2025, 3, 10, 0), utc(2025, 3, 17, 0)];
    expect(d.trend.map((t) => t.resolved)).toEqual([7, 7, 9, 11]);
    d.trend.forEach((t, i) => {
      const rows = upTo(ends[i]!);
      expect(t.resolved).toBe(rows.length);
      expect(t.brier).toBeCloseTo(brierOf(rows), 12);
      expect(t.baseline).toBeCloseTo(baselineOf(rows), 12);
    });
    // The last point is the whole score.
    expect(d.trend[3]!.brier).toBeCloseTo(d.accuracy.brier!, 12);
    const trendLine = d.lines.find((l) => l.startsWith('4-week trend: '));
    expect(trendLine).toBeDefined();
    expect(trendLine!.split(' → ')).toHaveLength(4);
    expect(trendLine).toContain(`2025-W08 ${brierOf(upTo(ends[0]!)).toFixed(3)} (baseline ${baselineOf(upTo(ends[0]!)).toFixed(3)}, n=7)`);
  });

  it('leaves out what was recorded after `now`', async () => {
    const d = await buildDigest(store, WS, utc(2025, 3, 6, 0));
    expect(d.accuracy.resolved).toBe(9);
    expect(d.accuracy.brier).toBeCloseTo(brierOf(ledger.filter((r) => r.at <= utc(2025, 3, 6, 0))), 12);
    expect(d.weekLabel).toBe('2025-W10');
    expect(d.resolvedThisWeek).toBe(2); // c3's answers on Wednesday of W10
    // Only c1's time actual (outside) is known by then.
    expect(d.accuracy.time.resolved).toBe(1);
    expect(d.accuracy.time.hitRate).toBe(0);
  });

  it('lists surprises only for failure modes with at least 3 outcomes, biggest gap first', async () => {
    const d = await buildDigest(store, WS, NOW);
    const groups = new Map<string, Resolved[]>();
    for (const r of ledger) groups.set(r.failureMode, [...(groups.get(r.failureMode) ?? []), r]);
    expect(groups.get(X)).toHaveLength(4);
    expect(groups.get(Z)).toHaveLength(3);
    expect(groups.get(Y)).toHaveLength(2);
    expect(groups.get(W)).toHaveLength(2);

    const expected = [X, Z]
      .map((fm) => {
        const rows = groups.get(fm)!;
        return {
          failureMode: `kubernetes/${fm}`,
          predicted: rows.reduce((s, r) => s + r.p, 0) / rows.length,
          observed: rows.reduce((s, r) => s + r.outcome, 0) / rows.length,
          resolved: rows.length,
        };
      })
      .sort((a, b) => Math.abs(b.observed - b.predicted) - Math.abs(a.observed - a.predicted));
    expect(d.surprises.map((s) => s.failureMode)).toEqual(expected.map((e) => e.failureMode));
    d.surprises.forEach((s, i) => {
      expect(s.resolved).toBe(expected[i]!.resolved);
      expect(s.observed).toBeCloseTo(expected[i]!.observed, 12);
      expect(s.predicted).toBeCloseTo(expected[i]!.predicted, 12);
    });
    const line = d.lines.find((l) => l.startsWith('Surprised most: '))!;
    expect(line).toContain(`kubernetes/${X} predicted`);
    expect(line).toContain('happened 75% of 4');
    expect(line).toContain('happened 33% of 3');
    expect(line).not.toContain(Y);
    expect(line).not.toContain(W);
  });

  it('has interval hit-rates from the recorded actual cost and months', async () => {
    const d = await buildDigest(store, WS, NOW);
    expect(d.accuracy.cost.resolved).toBe(2);
    expect(d.accuracy.cost.hitRate).toBe(0.5);
    expect(d.accuracy.time.resolved).toBe(3);
    expect(d.accuracy.time.hitRate).toBeCloseTo(2 / 3, 12);
    expect(d.lines).toContain('Cost actuals inside p10–p90: 50% of 2; time: 67% of 3 (target 80%)');
  });

  it("counts this week's consultations by topic and the most asked topics", async () => {
    const d = await buildDigest(store, WS, NOW);
    expect(d.consultationsThisWeek).toEqual([
      { topic: 'kubernetes', count: 1 },
      { topic: 'microservices', count: 1 },
    ]);
    expect(d.lines).toContain('Consultations this week: 2 (kubernetes 1, microservices 1)');
    expect(d.lines[0]).toBe('reality-check weekly accuracy digest — 2025-W11');
    expect(d.lines.some((l) => l.startsWith('No resolved predictions yet'))).toBe(false);
  });

  it('is scoped to its workspace: the other one sees only its own outcomes', async () => {
    const d = await buildDigest(store, OTHER, NOW);
    expect(d.accuracy.resolved).toBe(4);
    const own = (await store.consultations.predictions(OTHER, ids.o1!)).filter((p) => p.happened !== null);
    expect(d.accuracy.brier).toBeCloseTo(own.reduce((s, p) => s + p.probability ** 2, 0) / own.length, 12);
    expect(d.accuracy.baselineBrier).toBe(0);
    expect(d.accuracy.cost.resolved).toBe(0);
  });

  it('says "No resolved predictions yet" when nothing is resolved', async () => {
    const empty = await buildDigest(store, 'T0EMPTY', NOW);
    expect(empty.accuracy.resolved).toBe(0);
    expect(empty.accuracy.brier).toBeNull();
    expect(empty.surprises).toEqual([]);
    expect(empty.trend.map((t) => t.resolved)).toEqual([0, 0, 0, 0]);
    expect(empty.trend.every((t) => t.brier === null && t.baseline === null)).toBe(true);
    expect(empty.lines.some((l) => l.startsWith('No resolved predictions yet'))).toBe(true);
    expect(empty.lines.some((l) => l.startsWith('Brier score'))).toBe(false);
    expect(empty.lines).toContain('Cost actuals inside p10–p90: — of 0; time: — of 0 (target 80%)');

    // Consultations without outcomes are still "nothing resolved".
    const k8s = kb.topics.get('kubernetes')!;
    clock.t = NOW - DAY;
    await consult('T0NEW', 'kubernetes', answersFor(k8s, () => 0));
    clock.t = NOW;
    const fresh = await buildDigest(store, 'T0NEW', NOW);
    expect(fresh.accuracy.resolved).toBe(0);
    expect(fresh.lines.some((l) => l.startsWith('No resolved predictions yet'))).toBe(true);
    expect(fresh.lines).toContain('Consultations this week: 1 (kubernetes 1)');
  });

  it("starts the week in the workspace's time zone", async () => {
    // Sunday 23:30 UTC is already Monday 00:30 in Berlin: "this week" there, last week in UTC.
    const k8s = kb.topics.get('kubernetes')!;
    clock.t = utc(2025, 3, 1);
    const id = await consult('T0TZ', 'kubernetes', answersFor(k8s, () => 0));
    clock.t = utc(2025, 3, 9, 23, 30);
    await service.resolve('T0TZ', id, { userId: 'U0001', isAdmin: false }, { failureModes: { [X]: true } });
    const now = utc(2025, 3, 10, 12);
    expect((await buildDigest(store, 'T0TZ', now, 'Europe/Berlin')).resolvedThisWeek).toBe(1);
    expect((await buildDigest(store, 'T0TZ', now, 'UTC')).resolvedThisWeek).toBe(0);
    clock.t = NOW;
  });
});
