// The workspace's record in a verdict: the pure summary (counts, k-of-n failure modes, median ratios,
// quoted and private stories), and end to end through ConsultService on both engines — a story
// recorded in workspace A is quoted and counted in A's next consultation on the topic, never in B's,
// and a private story is counted but never quoted.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { ConsultService, MAX_STORY_LENGTH, type Clock, type ConsultRequest } from '../../src/service/consult-service.js';
import { HISTORY_LIMIT, historyJson, median, summariseHistory } from '../../src/service/workspace-history.js';
import { openStore, type Decision, type Store } from '../../src/store/index.js';
import { KUBERNETES_ANSWERS } from '../helpers/answers.js';
import { createTestDatabase, pgAvailable, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 2, 3, 9, 30, 0);

function decision(overrides: Partial<Decision> = {}): Decision {
  return {
    id: 'rc-1', platform: 'slack', userId: 'U1', question: 'Kubernetes?', topic: 'kubernetes', verdict: 'not-yet', createdAt: START, checkInAt: START + 90 * DAY, notAdopted: false,
    story: null, link: null,
    failureModes: [{ id: 'a', happened: null }, { id: 'b', happened: null }],
    estimates: [{ kind: 'cost', p50: 100, actual: null }, { kind: 'time', p50: 4, actual: null }],
    ...overrides,
  };
}
const story = (text: string | null, recordedAt: number, priv = false) => ({ text: priv ? null : text, private: priv, recordedBy: 'U1', author: null, recordedAt });

describe('summariseHistory', () => {
  it('is null when nobody asked before', () => {
    expect(summariseHistory([], ['a'])).toBeNull();
    expect(historyJson(null)).toBeNull();
  });

  it('counts consultations, askers, verdicts, the resolved and the not adopted', () => {
    const h = summariseHistory([
      decision({ id: 'rc-3', userId: 'U2', createdAt: START + 2 * DAY, verdict: 'adopt', failureModes: [{ id: 'a', happened: true }] }),
      decision({ id: 'rc-2', createdAt: START + DAY, notAdopted: true }),
      decision({ id: 'rc-1', createdAt: START }),
    ], ['a'])!;
    expect(h).toMatchObject({ consultations: 3, truncated: false, askers: 2, firstAt: START, lastAt: START + 2 * DAY, verdicts: { adopt: 1, 'not-yet': 2 }, resolved: 2, notAdopted: 1 });
  });

  it.each([
    ['no answers', [[null], [null]], { happened: 0, resolved: 0 }],
    ['one of one', [[true], [null]], { happened: 1, resolved: 1 }],
    ['two of three', [[true], [false], [true]], { happened: 2, resolved: 3 }],
  ] as const)('failure modes predicted now, answered there: %s', (_name, answers, expected) => {
    const past = answers.map(([happened], i) => decision({ id: `rc-${i}`, failureModes: [{ id: 'a', happened }] }));
    expect(summariseHistory(past, ['a', 'not-predicted-before'])!.failureModes).toStrictEqual([{ id: 'a', ...expected }, { id: 'not-predicted-before', happened: 0, resolved: 0 }]);
  });

  it('leaves the failure modes and actuals of consultations that were not adopted out of the figures', () => {
    const h = summariseHistory([
      decision({ id: 'rc-1', notAdopted: true, failureModes: [{ id: 'a', happened: true }], estimates: [{ kind: 'cost', p50: 100, actual: 900 }] }),
      decision({ id: 'rc-2', failureModes: [{ id: 'a', happened: false }], estimates: [{ kind: 'cost', p50: 100, actual: 150 }] }),
    ], ['a'])!;
    expect(h.failureModes).toStrictEqual([{ id: 'a', happened: 0, resolved: 1 }]);
    expect([h.costRatio, h.costReports, h.timeRatio, h.timeReports]).toEqual([1.5, 1, null, 0]);
  });

  it.each([
    [[], null],
    [[3], 3],
    [[1, 3], 2],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('median of %j is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('ratios are medians of actual over predicted p50, skipping a zero p50', () => {
    const h = summariseHistory([
      decision({ id: 'rc-1', estimates: [{ kind: 'time', p50: 4, actual: 8 }, { kind: 'cost', p50: 0, actual: 5 }] }),
      decision({ id: 'rc-2', estimates: [{ kind: 'time', p50: 5, actual: 9 }] }),
      decision({ id: 'rc-3', estimates: [{ kind: 'time', p50: 10, actual: 5 }] }),
    ], [])!;
    expect(h.timeRatio).toBeCloseTo(1.8, 12);
    expect(h.timeReports).toBe(3);
    expect(h.costRatio).toBeNull();
  });

  it('quotes up to three stories, newest first; private ones are counted, never quoted', () => {
    const past = [
      decision({ id: 'rc-1', story: story('one', START + 1) }),
      decision({ id: 'rc-2', story: story('two', START + 4), link: 'https://x/2' }),
      decision({ id: 'rc-3', story: story('secret', START + 5, true) }),
      decision({ id: 'rc-4', story: story('three', START + 3) }),
      decision({ id: 'rc-5', story: story('four', START + 2), platform: 'teams' }),
    ];
    const h = summariseHistory(past, [])!;
    expect(h.stories.map((s) => [s.consultationId, s.text])).toEqual([['rc-2', 'two'], ['rc-4', 'three'], ['rc-5', 'four']]);
    expect(h.stories[0]).toMatchObject({ link: 'https://x/2', recordedAt: START + 4, recordedBy: 'U1', platform: 'slack' });
    expect(h.privateStories).toBe(1);
    expect(h.resolved).toBe(5);
    expect(JSON.stringify(h)).not.toContain('secret');
  });

  it('says when it read only the latest HISTORY_LIMIT consultations', () => {
    const past = Array.from({ length: HISTORY_LIMIT }, (_, i) => decision({ id: `rc-${i}` }));
    expect(summariseHistory(past, [])!.truncated).toBe(true);
    expect(summariseHistory(past.slice(1), [])!.truncated).toBe(false);
  });

  it('historyJson is the documented shape, times in ISO', () => {
    const h = summariseHistory([decision({ story: story('it went fine', START), failureModes: [{ id: 'a', happened: true }], estimates: [{ kind: 'cost', p50: 100, actual: 200 }] })], ['a']);
    expect(historyJson(h)).toStrictEqual({
      consultations: 1,
      resolved: 1,
      failureModes: [{ id: 'a', happened: 1, resolved: 1 }],
      stories: [{ consultationId: 'rc-1', text: 'it went fine', recordedAt: new Date(START).toISOString() }],
      costRatio: 2,
      timeRatio: null,
    });
  });
});

// ---- End to end through the service, on each engine ------------------------------------------------

const postgres = await pgAvailable();
const engines: Array<[string, () => Promise<{ store: Store; done(): Promise<void> }>]> = [
  ['SQLite', async () => ({ store: await openStore({ path: join(makeTempDir(), 'rc.db') }, { now: START }), done: async () => undefined })],
];
if (postgres) {
  engines.push(['PostgreSQL', async () => {
    const db: TestDatabase = await createTestDatabase();
    return { store: await openStore({ url: db.url, path: '' }, { now: START }), done: () => db.drop() };
  }]);
}

describe.each(engines)('ConsultService: the workspace record (%s)', (_name, open) => {
  let kb: KnowledgeBase;
  let store: Store;
  let done: () => Promise<void>;
  const clock: Clock & { t: number } = { t: START, now() { return this.t; } };
  let service: ConsultService;

  beforeAll(() => {
    kb = loadKnowledge(KNOWLEDGE_DIR);
  });
  beforeEach(async () => {
    ({ store, done } = await open());
    clock.t = START;
    service = new ConsultService(kb, store, clock, null);
  });
  afterEach(async () => {
    await store.close();
    await done();
  });
  afterAll(() => removeTempDirs());

  const ask = (workspace: string, overrides: Partial<ConsultRequest> = {}) =>
    service.consult({ workspace, platform: 'slack', channel: 'C1', userId: 'U1', question: 'Should we use Kubernetes?', topic: 'kubernetes', answers: KUBERNETES_ANSWERS, ...overrides });

  it("a story resolved in A is quoted and counted in A's next consultation on the topic, and nowhere in B", async () => {
    const first = await ask('A');
    expect(first.history).toBeNull();
    expect(first.view.history).toBeUndefined();
    const modes = first.assessment.failureModes.map((f) => f.id);
    clock.t += 100 * DAY;
    await service.resolve('A', first.row.id, { userId: 'U1', isAdmin: false }, {
      failureModes: { [modes[0]!]: true, [modes[1]!]: false },
      actualCost: first.assessment.cost.p50 * 2,
      actualMonths: first.assessment.time.p50 * 1.5,
      story: { text: '  Networking incidents twice; the migration took <twice> as long.  ', private: false },
    });
    clock.t += DAY;

    const next = await ask('A', { userId: 'U2' });
    expect(next.history).toMatchObject({ consultations: 1, askers: 1, resolved: 1, costRatio: 2, timeRatio: 1.5, privateStories: 0 });
    expect(next.history!.stories).toStrictEqual([{ consultationId: first.row.id, text: 'Networking incidents twice; the migration took <twice> as long.', recordedAt: START + 100 * DAY, recordedBy: 'U1', author: null, platform: 'slack', link: null }]);
    expect(next.history!.failureModes.find((f) => f.id === modes[0])).toStrictEqual({ id: modes[0], happened: 1, resolved: 1 });
    expect(next.history!.failureModes.find((f) => f.id === modes[1])).toStrictEqual({ id: modes[1], happened: 0, resolved: 1 });
    expect(next.view.history?.stories[0]).toMatchObject({ text: 'Networking incidents twice; the migration took <twice> as long.', month: 'Jun 2025', consultationId: first.row.id });
    expect(next.view.history?.asked).toBe('1 earlier consultation on Kubernetes and container orchestration here, by 1 person, Mar 2025.');

    // The snapshot is what a re-render shows, whatever happens later.
    await service.resolve('A', first.row.id, { userId: 'U1', isAdmin: false }, { failureModes: {}, story: { text: 'Rewritten later', private: false } });
    const again = service.render((await store.consultations.get('A', next.row.id))!);
    expect(again.view.history).toStrictEqual(next.view.history);

    const elsewhere = await ask('B');
    expect(elsewhere.history).toBeNull();
    expect(JSON.stringify(elsewhere)).not.toContain('Networking incidents');
  });

  it('a private story is counted but never quoted', async () => {
    const first = await ask('A');
    await service.resolve('A', first.row.id, { userId: 'U1', isAdmin: false }, { failureModes: {}, story: { text: 'The cluster ate our weekend', private: true } });
    clock.t += DAY;
    const next = await ask('A');
    expect(next.history).toMatchObject({ consultations: 1, resolved: 1, privateStories: 1, stories: [] });
    expect(next.view.history?.privateNote).toBe('1 note was kept private (counted above, not quoted).');
    expect(JSON.stringify(next)).not.toContain('weekend');
    expect(JSON.stringify((await store.consultations.get('A', next.row.id))!.history)).not.toContain('weekend');
    // The author still sees their own note (the check-in), and it is not searchable.
    expect((await store.consultations.get('A', first.row.id))!.story?.text).toBe('The cluster ate our weekend');
    expect(await service.findDecisions('A', { words: 'weekend' })).toEqual([]);
  });

  it('a story longer than 1,000 characters is refused; an empty one removes the story', async () => {
    const first = await ask('A');
    const actor = { userId: 'U1', isAdmin: false };
    await expect(service.resolve('A', first.row.id, actor, { failureModes: {}, story: { text: 'x'.repeat(MAX_STORY_LENGTH + 1), private: false } })).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'INPUT_INVALID');
    await service.resolve('A', first.row.id, actor, { failureModes: {}, story: { text: 'x'.repeat(MAX_STORY_LENGTH), private: false } });
    expect((await store.consultations.get('A', first.row.id))!.story?.text).toHaveLength(MAX_STORY_LENGTH);
    await service.resolve('A', first.row.id, actor, { failureModes: {}, story: { text: '   ', private: false } });
    expect((await store.consultations.get('A', first.row.id))!.story).toBeNull();
  });

  it('keeps the source message of a consultation and shows it in the verdict', async () => {
    const c = await ask('A', { sourceUrl: 'https://fake.slack.com/archives/C1/p1700000000000100' });
    expect(c.view.sourceUrl).toBe('https://fake.slack.com/archives/C1/p1700000000000100');
    expect(service.render(c.row).view.sourceUrl).toBe('https://fake.slack.com/archives/C1/p1700000000000100');
  });

  it('findDecisions searches one workspace, best match first, or lists the newest', async () => {
    const a = await ask('A', { question: 'Kubernetes for the payments platform?' });
    clock.t += DAY;
    const b = await ask('A', { question: 'Kubernetes for batch jobs?' });
    await ask('B', { question: 'Kubernetes for the payments platform?' });
    expect((await service.findDecisions('A', { words: 'payments' })).map((d) => d.id)).toEqual([a.row.id]);
    expect((await service.findDecisions('A', {})).map((d) => d.id)).toEqual([b.row.id, a.row.id]);
    expect((await service.findDecisions('A', { words: '  ', limit: 1 })).map((d) => d.id)).toEqual([b.row.id]);
    expect(await service.findDecisions('A', { topic: 'kafka' })).toEqual([]);
  });
});
