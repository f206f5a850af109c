// Contract: the small per-workspace state — unfinished conversations and references, redelivery
// dedupe, digest settings and the workspace lists the scheduler walks.
import { describe, expect, it } from 'vitest';
import type { StoredConversation } from '../../../src/store/index.js';
import { DAY_MS, saved, START, type StoreContext } from './context.js';

const conversation = (userId: string, step: string): StoredConversation => ({
  userId,
  state: { question: `Kubernetes? (${step})`, topic: 'kubernetes', answers: { team: step }, history: ['team', step] },
  messageRef: `ts-${step}`,
});

export function stateContract(ctx: StoreContext): void {
  describe('conversations', () => {
    it('put then get; a second put replaces the first; delete removes it', async () => {
      expect(await ctx.store.conversations.get('T1', 'slack', 'D1')).toBeUndefined();
      await ctx.store.conversations.put('T1', 'slack', 'D1', conversation('U1', 'one'), START);
      expect(await ctx.store.conversations.get('T1', 'slack', 'D1')).toStrictEqual(conversation('U1', 'one'));
      await ctx.store.conversations.put('T1', 'slack', 'D1', { ...conversation('U2', 'two'), messageRef: null }, START + 1);
      expect(await ctx.store.conversations.get('T1', 'slack', 'D1')).toStrictEqual({ ...conversation('U2', 'two'), messageRef: null });
      expect((await ctx.store.tables.read('conversations', 0, 10)).map((r) => r.updated_at)).toEqual([START + 1]);
      await ctx.store.conversations.delete('T1', 'slack', 'D1');
      expect(await ctx.store.conversations.get('T1', 'slack', 'D1')).toBeUndefined();
      await ctx.store.conversations.delete('T1', 'slack', 'D1');
    });

    it('setMessageRef records the message only when none is recorded, and leaves the state alone', async () => {
      await ctx.store.conversations.setMessageRef('T1', 'slack', 'D9', 'ts-nobody');
      expect(await ctx.store.conversations.get('T1', 'slack', 'D9')).toBeUndefined();
      await ctx.store.conversations.put('T1', 'slack', 'D9', { ...conversation('U1', 'one'), messageRef: null }, START);
      await ctx.store.conversations.put('T1', 'slack', 'D9', { ...conversation('U1', 'two'), messageRef: null }, START + 1);
      await ctx.store.conversations.setMessageRef('T1', 'slack', 'D9', 'ts-first');
      await ctx.store.conversations.setMessageRef('T1', 'slack', 'D9', 'ts-second');
      expect(await ctx.store.conversations.get('T1', 'slack', 'D9')).toStrictEqual({ ...conversation('U1', 'two'), messageRef: 'ts-first' });
    });

    it('are kept apart by workspace and platform', async () => {
      await ctx.store.conversations.put('T1', 'slack', 'K', conversation('U1', 'slack'), START);
      await ctx.store.conversations.put('T1', 'teams', 'K', conversation('U1', 'teams'), START);
      await ctx.store.conversations.put('T2', 'slack', 'K', conversation('U1', 'other'), START);
      await ctx.store.conversations.delete('T1', 'teams', 'K');
      expect((await ctx.store.conversations.get('T1', 'slack', 'K'))?.state.answers).toEqual({ team: 'slack' });
      expect(await ctx.store.conversations.get('T1', 'teams', 'K')).toBeUndefined();
      expect((await ctx.store.conversations.get('T2', 'slack', 'K'))?.state.answers).toEqual({ team: 'other' });
    });

    it('prune drops questionnaires last touched before the given time, oldest first, at most a batch at a time', async () => {
      for (let i = 0; i < 5; i++) await ctx.store.conversations.put(`T${i % 2}`, i % 3 === 0 ? 'teams' : 'slack', `old${i}`, conversation('U1', `old${i}`), START - 40 * DAY_MS + i);
      await ctx.store.conversations.put('T1', 'slack', 'kept', conversation('U1', 'kept'), START - 40 * DAY_MS);
      await ctx.store.conversations.put('T1', 'slack', 'kept', conversation('U1', 'touched'), START);
      expect(await ctx.store.conversations.prune(START - 30 * DAY_MS, 3)).toBe(3);
      // The three oldest went first.
      expect(await ctx.store.conversations.get('T0', 'teams', 'old0')).toBeUndefined();
      expect(await ctx.store.conversations.get('T0', 'slack', 'old4')).toBeDefined();
      expect(await ctx.store.conversations.prune(START - 30 * DAY_MS, 3)).toBe(2);
      expect(await ctx.store.conversations.prune(START - 30 * DAY_MS, 3)).toBe(0);
      expect((await ctx.store.conversations.get('T1', 'slack', 'kept'))?.state.answers).toEqual({ team: 'touched' });
      expect((await ctx.store.tables.counts()).conversations).toBe(1);
    });

    it('references: any JSON, replaced by a later put, kept apart by workspace and platform', async () => {
      const reference = { conversation: { id: '19:abc', tenantId: 't' }, serviceUrl: 'https://smba.example/', list: [1, 'two', null], unicode: 'ü ✓' };
      expect(await ctx.store.conversations.getReference('T1', 'teams', 'user:U1')).toBeUndefined();
      await ctx.store.conversations.putReference('T1', 'teams', 'user:U1', reference, START);
      await ctx.store.conversations.putReference('T2', 'teams', 'user:U1', { other: true }, START);
      await ctx.store.conversations.putReference('T1', 'slack', 'user:U1', 'just a string', START);
      expect(await ctx.store.conversations.getReference('T1', 'teams', 'user:U1')).toStrictEqual(reference);
      await ctx.store.conversations.putReference('T1', 'teams', 'user:U1', { replaced: 1 }, START + 1);
      expect(await ctx.store.conversations.getReference('T1', 'teams', 'user:U1')).toStrictEqual({ replaced: 1 });
      expect(await ctx.store.conversations.getReference('T2', 'teams', 'user:U1')).toStrictEqual({ other: true });
      expect(await ctx.store.conversations.getReference('T1', 'slack', 'user:U1')).toBe('just a string');
      expect((await ctx.store.tables.counts()).conversation_references).toBe(3);
    });
  });

  describe('events', () => {
    it('markProcessed is true the first time a key is seen in a workspace, false after', async () => {
      expect(await ctx.store.events.markProcessed('T1', 'Ev1', START)).toBe(true);
      expect(await ctx.store.events.markProcessed('T1', 'Ev1', START + 1)).toBe(false);
      expect(await ctx.store.events.markProcessed('T2', 'Ev1', START)).toBe(true);
      expect(await ctx.store.events.markProcessed('T1', 'Ev2', START)).toBe(true);
    });

    it('redeliveries at the same moment: exactly one is first', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, () => ctx.store.events.markProcessed('T1', 'Ev-race', START)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('prune drops keys older than the given time and says how many', async () => {
      await ctx.store.events.markProcessed('T1', 'old', START - 2);
      await ctx.store.events.markProcessed('T2', 'old', START - 1);
      await ctx.store.events.markProcessed('T1', 'now', START);
      expect(await ctx.store.events.prune(START)).toBe(2);
      expect(await ctx.store.events.prune(START)).toBe(0);
      expect(await ctx.store.events.markProcessed('T1', 'old', START)).toBe(true);
      expect(await ctx.store.events.markProcessed('T1', 'now', START)).toBe(false);
    });
  });

  describe('settings', () => {
    it('getDigest: undefined until set; set replaces; platform only when given', async () => {
      expect(await ctx.store.settings.getDigest('T1')).toBeUndefined();
      await ctx.store.settings.setDigest('T1', { channel: 'C1', weekday: 1, hour: 9, minute: 0, timeZone: 'UTC' }, START);
      expect(await ctx.store.settings.getDigest('T1')).toStrictEqual({ channel: 'C1', weekday: 1, hour: 9, minute: 0, timeZone: 'UTC' });
      await ctx.store.settings.setDigest('T1', { channel: 'C2', platform: 'teams', weekday: 7, hour: 23, minute: 59, timeZone: 'America/New_York' }, START + 1);
      expect(await ctx.store.settings.getDigest('T1')).toStrictEqual({ channel: 'C2', platform: 'teams', weekday: 7, hour: 23, minute: 59, timeZone: 'America/New_York' });
      expect(await ctx.store.settings.getDigest('T2')).toBeUndefined();
      expect(await ctx.store.tables.counts()).toMatchObject({ workspace_settings: 1 });
    });

    it('refuses settings out of range and keeps what was there', async () => {
      await ctx.store.settings.setDigest('T1', { channel: 'C1', weekday: 1, hour: 9, minute: 0, timeZone: 'UTC' }, START);
      await expect(ctx.store.settings.setDigest('T1', { channel: 'C1', weekday: 8, hour: 9, minute: 0, timeZone: 'UTC' }, START)).rejects.toThrow();
      await expect(ctx.store.settings.setDigest('T1', { channel: 'C1', weekday: 1, hour: 24, minute: 0, timeZone: 'UTC' }, START)).rejects.toThrow();
      expect((await ctx.store.settings.getDigest('T1'))?.weekday).toBe(1);
    });

    it('workspacesWithDigest and activeWorkspaces list each workspace once, in byte order', async () => {
      for (const workspace of ['b-ws', 'T1', 'B-ws', 'a-ws']) {
        await ctx.store.settings.setDigest(workspace, { channel: 'C', weekday: 1, hour: 9, minute: 0, timeZone: 'UTC' }, START);
      }
      expect(await ctx.store.settings.workspacesWithDigest()).toEqual(['B-ws', 'T1', 'a-ws', 'b-ws']);
      expect(await ctx.store.settings.activeWorkspaces()).toEqual([]);
      for (const workspace of ['t2', 'T1', 'T1', 'Z9']) await saved(ctx.store, { workspace });
      expect(await ctx.store.settings.activeWorkspaces()).toEqual(['T1', 'Z9', 't2']);
    });

    it('awaitingDigest: workspaces with a digest of their own (and every active one with a default) that have no digest job waiting', async () => {
      const awaiting = async (withDefault: boolean) => (await ctx.store.settings.awaitingDigest(withDefault)).awaiting;
      await ctx.store.settings.setDigest('S1', { channel: 'C', weekday: 1, hour: 9, minute: 0, timeZone: 'UTC' }, START);
      await ctx.store.settings.setDigest('S2', { channel: 'C', weekday: 1, hour: 9, minute: 0, timeZone: 'UTC' }, START);
      for (const workspace of ['A1', 'A2', 'S1']) await saved(ctx.store, { workspace });
      expect(await ctx.store.settings.awaitingDigest(false)).toEqual({ awaiting: ['S1', 'S2'], next: undefined });
      expect(await awaiting(true)).toEqual(['A1', 'A2', 'S1', 'S2']);
      // A digest waiting takes a workspace off the list; a done one, or another kind of job, does not.
      await ctx.store.jobs.enqueue({ workspace: 'S1', kind: 'digest', key: 'digest:S1:w1', dueAt: START }, START);
      await ctx.store.jobs.enqueue({ workspace: 'A1', kind: 'digest', key: 'digest:A1:w1', dueAt: START }, START);
      await ctx.store.jobs.enqueue({ workspace: 'A2', kind: 'digest', key: 'digest:A2:w0', dueAt: START }, START);
      const [done] = await ctx.store.jobs.claimDue(START, 60_000, 1);
      await ctx.store.jobs.complete(done!.id, START);
      expect(await awaiting(true)).toEqual([done!.workspace, 'S2'].sort());
    });

    it('awaitingDigest pages through the workspaces in byte order, each looked at once', async () => {
      for (const workspace of ['b', 'A', 'c', 'B', 'a']) await saved(ctx.store, { workspace });
      await ctx.store.settings.setDigest('B', { channel: 'C', weekday: 1, hour: 9, minute: 0, timeZone: 'UTC' }, START);
      await ctx.store.jobs.enqueue({ workspace: 'a', kind: 'digest', key: 'digest:a:w1', dueAt: START }, START);
      const pages: Array<{ awaiting: string[]; next: string | undefined }> = [];
      for (let after: string | undefined = ''; after !== undefined; ) {
        const page = await ctx.store.settings.awaitingDigest(true, { after, limit: 2 });
        pages.push(page);
        after = page.next;
      }
      expect(pages).toEqual([
        { awaiting: ['A', 'B'], next: 'B' },
        { awaiting: ['b'], next: 'b' },
        { awaiting: ['c'], next: undefined },
      ]);
    });

    it('prunes drop old dedupe keys and rate counters, at most a batch at a time when asked', async () => {
      for (let i = 0; i < 5; i++) {
        await ctx.store.events.markProcessed('T1', `old${i}`, START - 2 * DAY_MS);
        await ctx.store.rateLimits.hit('T1', `U${i}`, START - 2 * DAY_MS, 10);
      }
      await ctx.store.events.markProcessed('T1', 'new', START);
      await ctx.store.rateLimits.hit('T1', 'U1', START, 10);
      expect(await ctx.store.events.prune(START - DAY_MS, 3)).toBe(3);
      expect(await ctx.store.events.prune(START - DAY_MS, 3)).toBe(2);
      expect(await ctx.store.events.prune(START - DAY_MS, 3)).toBe(0);
      expect(await ctx.store.rateLimits.prune(START - DAY_MS, 4)).toBe(4);
      expect(await ctx.store.rateLimits.prune(START - DAY_MS)).toBe(1);
      expect(await ctx.store.events.markProcessed('T1', 'new', START)).toBe(false);
      expect((await ctx.store.tables.counts()).rate_limits).toBe(1);
    });

    it("platformOf is the platform of a workspace's first consultation", async () => {
      expect(await ctx.store.settings.platformOf('T1')).toBeUndefined();
      await saved(ctx.store, { platform: 'teams', createdAt: START + 1000 });
      await saved(ctx.store, { platform: 'cli', createdAt: START });
      await saved(ctx.store, { workspace: 'T2', platform: 'slack' });
      expect(await ctx.store.settings.platformOf('T1')).toBe('cli');
      expect(await ctx.store.settings.platformOf('T2')).toBe('slack');
    });
  });
}
