// Contract: the workspace's record — stories recorded at check-in (private or not), where a
// consultation came from and was posted, and `decisions`: by topic, user and time, or by full-text
// search over questions and non-private stories; never across workspaces.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/accuracy/random.js';
import { topicRecord } from '../../../src/store/decisions.js';
import type { Store, TopicRecord } from '../../../src/store/index.js';
import { DAY_MS, randomAnswers, saved, START, type StoreContext } from './context.js';

const ids = (rows: Array<{ id: string }>): string[] => rows.map((r) => r.id);

/** A record with its unordered parts in one order, to compare. */
const canonical = (r: TopicRecord): TopicRecord => ({
  decisions: r.decisions,
  failureModes: [...r.failureModes].sort((a, b) => a.id.localeCompare(b.id)),
  ratios: [...r.ratios].sort((a, b) => a.kind.localeCompare(b.kind) || a.ratio - b.ratio),
});

async function search(store: Store, words: string, workspace = 'T1', extra: { topic?: string; userId?: string } = {}): Promise<string[]> {
  return ids(await store.consultations.decisions(workspace, { words, limit: 10, ...extra }));
}

export function decisionsContract(ctx: StoreContext): void {
  describe('stories', () => {
    it('a check-in records a story with who wrote it and when; a later check-in without one keeps it; null removes it', async () => {
      const c = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': true }, story: { text: 'Two "networking" outages — déjà vu.\nThen calm.', private: false, author: 'Ann Example' } }, 'U7', START + 5);
      const story = { text: 'Two "networking" outages — déjà vu.\nThen calm.', private: false, recordedBy: 'U7', author: 'Ann Example', recordedAt: START + 5 };
      expect((await ctx.store.consultations.get('T1', c.id))?.story).toStrictEqual(story);

      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'skills-gap': false }, actualCost: 1 }, 'U8', START + 6);
      expect((await ctx.store.consultations.get('T1', c.id))?.story).toStrictEqual(story);

      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, story: { text: 'Kept to ourselves.', private: true } }, 'U8', START + 7);
      expect((await ctx.store.consultations.get('T1', c.id))?.story).toStrictEqual({ text: 'Kept to ourselves.', private: true, recordedBy: 'U8', author: null, recordedAt: START + 7 });

      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, story: null }, 'U8', START + 8);
      expect((await ctx.store.consultations.get('T1', c.id))?.story).toBeNull();
      // Someone else's workspace cannot write a story onto this consultation.
      await ctx.store.consultations.recordOutcomes('T2', c.id, { failureModes: {}, story: { text: 'not here', private: false } }, 'U9', START + 9);
      expect((await ctx.store.consultations.get('T1', c.id))?.story).toBeNull();
    });

    it('save keeps the source message and the history snapshot; setVerdictUrl the verdict link, in its own workspace only', async () => {
      const history = { consultations: 2, stories: [{ consultationId: 'rc-x', text: 'q "u" é' }], costRatio: null };
      const c = await saved(ctx.store, { sourceUrl: 'https://fake.slack.com/archives/C1/p1700000000000100', history });
      expect(await ctx.store.consultations.get('T1', c.id)).toMatchObject({ sourceUrl: 'https://fake.slack.com/archives/C1/p1700000000000100', verdictUrl: null, history });
      expect(await ctx.store.consultations.setVerdictUrl('T2', c.id, 'https://elsewhere')).toBe(false);
      expect(await ctx.store.consultations.setVerdictUrl('T1', c.id, 'https://fake.slack.com/archives/C1/p1700000000000200')).toBe(true);
      expect((await ctx.store.consultations.get('T1', c.id))?.verdictUrl).toBe('https://fake.slack.com/archives/C1/p1700000000000200');
      expect(await ctx.store.consultations.setVerdictUrl('T1', 'rc-missing', 'https://x')).toBe(false);
    });
  });

  describe('decisions', () => {
    it('by topic before a time: newest first, with failure modes in saving order, estimates, outcomes and stories', async () => {
      const older = await saved(ctx.store, { createdAt: START, sourceUrl: 'https://src/1' });
      const newer = await saved(ctx.store, { createdAt: START + DAY_MS, userId: 'U2', verdict: 'adopt' });
      await saved(ctx.store, { createdAt: START + 2 * DAY_MS, topic: 'kafka' });
      const later = await saved(ctx.store, { createdAt: START + 3 * DAY_MS });
      await ctx.store.consultations.recordOutcomes('T1', older.id, { failureModes: { 'ops-burden': true, 'skills-gap': false }, actualCost: 240_001, actualMonths: 9, story: { text: 'Networking bit us twice.', private: false, author: 'Ann' } }, 'U1', START + 50 * DAY_MS);
      await ctx.store.consultations.recordOutcomes('T1', newer.id, { failureModes: { 'ops-burden': true }, notAdopted: true, story: { text: 'We never shipped it.', private: true } }, 'U2', START + 60 * DAY_MS);
      await ctx.store.consultations.setVerdictUrl('T1', newer.id, 'https://verdict/2');

      const rows = await ctx.store.consultations.decisions('T1', { topic: 'kubernetes', before: later.createdAt, limit: 50 });
      expect(rows).toStrictEqual([
        {
          id: newer.id, platform: 'slack', userId: 'U2', question: newer.question, topic: 'kubernetes', verdict: 'adopt', createdAt: START + DAY_MS, checkInAt: START + 91 * DAY_MS, notAdopted: true,
          // A private story: counted (it is there), its text never read.
          story: { text: null, private: true, recordedBy: 'U2', author: null, recordedAt: START + 60 * DAY_MS },
          link: 'https://verdict/2',
          failureModes: [{ id: 'cost-overrun', happened: null }, { id: 'ops-burden', happened: true }, { id: 'skills-gap', happened: null }],
          estimates: [{ kind: 'time', p50: 4.5, actual: null }, { kind: 'cost', p50: 120_000.5, actual: null }],
        },
        {
          id: older.id, platform: 'slack', userId: 'U1', question: older.question, topic: 'kubernetes', verdict: 'not-yet', createdAt: START, checkInAt: START + 90 * DAY_MS, notAdopted: false,
          story: { text: 'Networking bit us twice.', private: false, recordedBy: 'U1', author: 'Ann', recordedAt: START + 50 * DAY_MS },
          link: 'https://src/1',
          failureModes: [{ id: 'cost-overrun', happened: null }, { id: 'ops-burden', happened: true }, { id: 'skills-gap', happened: false }],
          estimates: [{ kind: 'time', p50: 4.5, actual: 9 }, { kind: 'cost', p50: 120_000.5, actual: 240_001 }],
        },
      ]);
      expect(ids(await ctx.store.consultations.decisions('T1', { topic: 'kubernetes', limit: 2 }))).toEqual([later.id, newer.id]);
      expect(ids(await ctx.store.consultations.decisions('T1', { userId: 'U2', limit: 10 }))).toEqual([newer.id]);
      expect(await ctx.store.consultations.decisions('T1', { topic: 'kubernetes', before: START, limit: 10 })).toEqual([]);
      expect(await ctx.store.consultations.decisions('T1', { topic: 'graphql', limit: 10 })).toEqual([]);
    });

    it('never crosses workspaces, with or without words', async () => {
      const mine = await saved(ctx.store, { question: 'Kubernetes for the payments team?' });
      const theirs = await saved(ctx.store, { workspace: 'T2', question: 'Kubernetes for the payments team?' });
      await ctx.store.consultations.recordOutcomes('T2', theirs.id, { failureModes: { 'ops-burden': true }, story: { text: 'Their networking story', private: false } }, 'U1', START + 1);
      expect(ids(await ctx.store.consultations.decisions('T1', { topic: 'kubernetes', limit: 10 }))).toEqual([mine.id]);
      expect(await search(ctx.store, 'payments')).toEqual([mine.id]);
      expect(await search(ctx.store, 'networking')).toEqual([]);
      expect(await search(ctx.store, 'networking', 'T2')).toEqual([theirs.id]);
      expect((await ctx.store.consultations.decisions('T1', { topic: 'kubernetes', limit: 10 }))[0]!.failureModes.every((f) => f.happened === null)).toBe(true);
    });
  });

  describe('record', () => {
    it("is what topicRecord makes of the same decisions: answers, actuals, stories and 'not adopted' at random, before a time, limited", async () => {
      const random = mulberry32(41);
      const made = [];
      for (let i = 0; i < 40; i++) {
        const c = await saved(ctx.store, { createdAt: START + i * DAY_MS, userId: `U${i % 4}`, verdict: i % 3 === 0 ? 'adopt' : 'not-yet', topic: i % 7 === 6 ? 'kafka' : 'kubernetes' });
        made.push(c);
        if (random() < 0.25) continue;
        const story = random() < 0.3 ? { text: `story ${i}`, private: random() < 0.4 } : undefined;
        await ctx.store.consultations.recordOutcomes('T1', c.id, {
          failureModes: randomAnswers(c, random),
          ...(random() < 0.5 ? { actualCost: Math.round(random() * 500_000) } : {}),
          ...(random() < 0.5 ? { actualMonths: 1 + Math.round(random() * 20) / 2 } : {}),
          ...(random() < 0.2 ? { notAdopted: true } : {}),
          ...(story ? { story } : {}),
        }, 'U1', START + (i + 60) * DAY_MS);
      }
      // Another workspace's consultation on the topic never counts.
      await saved(ctx.store, { workspace: 'T2', createdAt: START + 5 * DAY_MS });
      for (const q of [{ before: START + 100 * DAY_MS, limit: 50 }, { before: START + 30 * DAY_MS, limit: 50 }, { before: START + 100 * DAY_MS, limit: 7 }, { before: START, limit: 50 }]) {
        const record = await ctx.store.consultations.record('T1', { topic: 'kubernetes', ...q });
        expect(canonical(record)).toEqual(canonical(topicRecord(await ctx.store.consultations.decisions('T1', { topic: 'kubernetes', ...q }))));
      }
      const all = await ctx.store.consultations.record('T1', { topic: 'kubernetes', before: START + 100 * DAY_MS, limit: 50 });
      expect(all.decisions).toHaveLength(made.filter((c) => c.topic === 'kubernetes').length);
      expect(all.failureModes.length).toBeGreaterThan(0);
      expect(all.ratios.length).toBeGreaterThan(0);
      expect(all.decisions.some((d) => d.answered) && all.decisions.some((d) => !d.answered)).toBe(true);
    });
  });

  describe('decisions: full-text search', () => {
    it('finds questions and stories, stemmed, best match first; the topic and user narrow it', async () => {
      const both = await saved(ctx.store, { question: 'Kubernetes networking for the incident-heavy checkout service?', createdAt: START });
      const story = await saved(ctx.store, { question: 'Should we move batch jobs to a cluster?', createdAt: START + 1 });
      const neither = await saved(ctx.store, { question: 'Is a service mesh worth it?', createdAt: START + 2, userId: 'U2' });
      const kafka = await saved(ctx.store, { question: 'Kafka for networking events?', topic: 'kafka', createdAt: START + 3 });
      await ctx.store.consultations.recordOutcomes('T1', story.id, { failureModes: {}, story: { text: 'The networking layer failed during the migration.', private: false } }, 'U1', START + 10);

      const found = await search(ctx.store, 'networking incidents');
      expect(found[0]).toBe(both.id);
      expect(new Set(found)).toEqual(new Set([both.id, story.id, kafka.id]));
      expect(await search(ctx.store, 'migrations')).toEqual([story.id]); // stemmed: migration(s)
      expect(await search(ctx.store, 'networking', 'T1', { topic: 'kubernetes' })).toEqual(expect.arrayContaining([both.id, story.id]));
      expect(await search(ctx.store, 'networking', 'T1', { topic: 'kafka' })).toEqual([kafka.id]);
      expect(await search(ctx.store, 'mesh', 'T1', { userId: 'U2' })).toEqual([neither.id]);
      expect(await search(ctx.store, 'mesh', 'T1', { userId: 'U1' })).toEqual([]);
      expect(await search(ctx.store, 'nothing-like-this-anywhere')).toEqual([]);
    });

    it('a private story counts but its words are not searchable; making it public (or replacing it) updates the index', async () => {
      const c = await saved(ctx.store, { question: 'Kubernetes?' });
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, story: { text: 'Secret outage in the billing cluster', private: true } }, 'U1', START + 1);
      expect(await search(ctx.store, 'billing')).toEqual([]);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, story: { text: 'Secret outage in the billing cluster', private: false } }, 'U1', START + 2);
      expect(await search(ctx.store, 'billing')).toEqual([c.id]);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, story: { text: 'All calm in the end', private: false } }, 'U1', START + 3);
      expect(await search(ctx.store, 'billing')).toEqual([]);
      expect(await search(ctx.store, 'calm')).toEqual([c.id]);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, story: null }, 'U1', START + 4);
      expect(await search(ctx.store, 'calm')).toEqual([]);
      expect(await search(ctx.store, 'kubernetes')).toEqual([c.id]);
    });

    it('what the user types is words, never query syntax', async () => {
      const c = await saved(ctx.store, { question: 'Kubernetes or not? "quoted" (yes)' });
      for (const words of ['"', 'kubernetes"', 'kubernetes OR', 'NEAR(kubernetes not)', 'question:kubernetes', 'kube*', '-kubernetes', "it's & | ! ()", 'kubernetes)']) {
        const found = await search(ctx.store, words);
        expect(found.every((id) => id === c.id), words).toBe(true);
      }
      expect(await search(ctx.store, 'KUBERNETES')).toEqual([c.id]);
      expect(await search(ctx.store, '!!! ---')).toEqual([]);
      expect(await search(ctx.store, '')).toEqual([]);
    });

    it('purge removes a workspace from the search; rows copied into another store are searchable there', async () => {
      const kept = await saved(ctx.store, { workspace: 'T2', question: 'Kubernetes networking?' });
      await saved(ctx.store, { workspace: 'T1', question: 'Kubernetes networking?' });
      await ctx.store.consultations.recordOutcomes('T2', kept.id, { failureModes: {}, story: { text: 'Ingress trouble', private: false } }, 'U1', START + 1);
      await ctx.store.workspaces.purge('T1');
      expect(await search(ctx.store, 'networking')).toEqual([]);
      expect(await search(ctx.store, 'ingress', 'T2')).toEqual([kept.id]);

      const target = await ctx.open();
      for (const table of ['consultations', 'predictions', 'estimates', 'outcomes'] as const) await target.tables.write(table, await ctx.store.tables.read(table, 0, 100));
      expect(await search(target, 'ingress', 'T2')).toEqual([kept.id]);
      expect(await target.consultations.decisions('T2', { limit: 5 })).toStrictEqual(await ctx.store.consultations.decisions('T2', { limit: 5 }));
    });
  });
}
