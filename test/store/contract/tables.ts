// Contract: row-level access (counts, paged reads in key order, writes that keep ids and move the
// id generators past them), purging one workspace, keeping workspaces apart, and the store's lifecycle.
import { describe, expect, it } from 'vitest';
import { TABLES, type RawRow, type Store, type TableName } from '../../../src/store/index.js';
import { consultation, DAY_MS, fillWorkspace, saved, START, type StoreContext } from './context.js';

/** Every row of a table, read in pages of `page` as `db copy` does. */
async function readAll(store: Store, table: TableName, page: number): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for (let offset = 0; ; offset += page) {
    const batch = await store.tables.read(table, offset, page);
    rows.push(...batch);
    if (batch.length < page) return rows;
  }
}

export function tablesContract(ctx: StoreContext): void {
  describe('tables', () => {
    it('counts every table, zero on a new database', async () => {
      expect(await ctx.store.tables.counts()).toStrictEqual(Object.fromEntries(TABLES.map((t) => [t, 0])));
    });

    it('read pages through a table in primary-key order, text keys in byte order', async () => {
      for (const key of ['b', 'A1', 'a', 'B']) await ctx.store.installations.put({ key, teamId: null, enterpriseId: null, enterpriseInstall: false, sealed: 's', expiresAt: null, updatedAt: START });
      expect((await ctx.store.tables.read('installations', 0, 3)).map((r) => r.install_key)).toEqual(['A1', 'B', 'a']);
      expect((await ctx.store.tables.read('installations', 3, 3)).map((r) => r.install_key)).toEqual(['b']);
      expect(await ctx.store.tables.read('installations', 4, 3)).toEqual([]);
    });

    it('rows read from one store and written into an empty one are the same rows, and the copy carries on', async () => {
      await fillWorkspace(ctx.store, 'T1');
      await fillWorkspace(ctx.store, 'T2', START + DAY_MS);
      await saved(ctx.store, { workspace: 'T1', channel: null, createdAt: START + 2 * DAY_MS });
      await ctx.store.jobs.claimDue(START + DAY_MS, 60_000, 1);
      const target = await ctx.open();

      for (const table of TABLES) await target.tables.write(table, await readAll(ctx.store, table, 2));

      const counts = await ctx.store.tables.counts();
      expect(await target.tables.counts()).toStrictEqual(counts);
      for (const table of TABLES) {
        expect(counts[table], table).toBeGreaterThan(0);
        expect(await readAll(target, table, 1000), table).toStrictEqual(await readAll(ctx.store, table, 1000));
      }
      // New rows get ids past the copied ones (the id generators moved on), and everything reads back.
      const next = await saved(target, { workspace: 'T1', createdAt: START + 3 * DAY_MS });
      await target.consultations.recordOutcomes('T1', next.id, { failureModes: { 'ops-burden': false }, actualMonths: 2 }, 'U1', START + 4 * DAY_MS);
      expect(await target.jobs.enqueue({ workspace: 'T1', kind: 'digest', key: 'after-copy', dueAt: START }, START)).toBe(true);
      const maxId = (rows: RawRow[]) => Math.max(...rows.map((r) => Number(r.id)));
      for (const table of ['predictions', 'estimates', 'outcomes', 'scheduled_jobs'] as const) {
        const before = await readAll(ctx.store, table, 1000);
        const after = await readAll(target, table, 1000);
        expect(after.length, table).toBeGreaterThan(before.length);
        expect(Math.min(...after.slice(before.length).map((r) => Number(r.id))), table).toBeGreaterThan(maxId(before));
      }
      expect(await target.consultations.get('T1', next.id)).toStrictEqual(await target.consultations.getForOperator(next.id));
      expect(await target.consultations.resolvedForecasts('T2')).toStrictEqual(await ctx.store.consultations.resolvedForecasts('T2'));
    });

    it('write keeps foreign keys, and a failed write leaves nothing behind', async () => {
      const c = consultation();
      const prediction = (id: number, consultationId: string): RawRow => ({
        id, consultation_id: consultationId, workspace: 'T1', topic: 't', failure_mode: `m${id}`, probability: 0.5, model_probability: 0.5, horizon_months: 6, knowledge_version: 'v', created_at: START,
      });
      await expect(ctx.store.tables.write('predictions', [prediction(1, 'no-such-consultation')])).rejects.toThrow();
      await ctx.store.consultations.save({ ...c, predictions: [], estimates: [] });
      await expect(ctx.store.tables.write('predictions', [prediction(1, c.id), prediction(2, 'no-such-consultation')])).rejects.toThrow();
      expect((await ctx.store.tables.counts()).predictions).toBe(0);
      await ctx.store.tables.write('predictions', [prediction(7, c.id)]);
      expect((await ctx.store.consultations.predictions('T1', c.id)).map((p) => p.id)).toEqual([7]);
      await ctx.store.tables.write('predictions', []);
    });
  });

  describe('workspaces', () => {
    it('purge deletes everything one workspace has and leaves the other untouched', async () => {
      await fillWorkspace(ctx.store, 'T1');
      const kept = await fillWorkspace(ctx.store, 'T2');
      // An org-wide install whose team is T1 goes with it too.
      await ctx.store.installations.put({ key: 'E1', teamId: 'T1', enterpriseId: 'E1', enterpriseInstall: true, sealed: 's', expiresAt: null, updatedAt: START });
      // Rate-limit counters of several hours, the workspaces' interleaved within each.
      for (const [workspace, user, hours] of [['T1', 'U2', -3], ['T2', 'U5', -3], ['T1', 'U1', 1], ['T2', 'U1', 2]] as const) await ctx.store.rateLimits.hit(workspace, user, START + hours * 3_600_000, 10);
      const before = await ctx.store.tables.counts();
      const t2Rows = async () => Promise.all(TABLES.map(async (t) => (await readAll(ctx.store, t, 1000)).filter((r) => r.workspace === 'T2' || r.install_key === 'T2')));
      const t2Before = await t2Rows();

      const purged = await ctx.store.workspaces.purge('T1');

      expect(purged).toStrictEqual({
        outcomes: 2, estimates: 2, predictions: 3, consultations: 1, scheduled_jobs: 2, workspace_settings: 1,
        conversations: 1, conversation_references: 1, processed_events: 1, rate_limits: 3, detection_gaps: 1, installations: 2,
        workspace_stats: 1, workspace_calibration: 1, scoring_groups: 1,
      });
      const after = await ctx.store.tables.counts();
      for (const t of TABLES) expect(after[t], t).toBe(before[t] - (purged[t] ?? 0));
      expect(await t2Rows()).toStrictEqual(t2Before);
      expect(await ctx.store.consultations.listForOperator({ limit: 10 })).toHaveLength(1);
      expect(await ctx.store.settings.getDigest('T1')).toBeUndefined();
      expect(await ctx.store.installations.get('E1')).toBeUndefined();
      expect((await ctx.store.consultations.resolvedForecasts('T2')).map((r) => r.consultationId)).toEqual([kept.id]);
      expect(await ctx.store.events.markProcessed('T1', 'Ev1', START)).toBe(true);
      expect(await ctx.store.events.markProcessed('T2', 'Ev1', START)).toBe(false);

      expect(Object.values(await ctx.store.workspaces.purge('T9')).every((n) => n === 0)).toBe(true);
    });

    it("one workspace never sees or changes another's rows", async () => {
      const a = await fillWorkspace(ctx.store, 'T1');
      const b = await fillWorkspace(ctx.store, 'T2');
      const s = ctx.store;
      expect(await s.consultations.get('T2', a.id)).toBeUndefined();
      expect(await s.consultations.predictions('T2', a.id)).toEqual([]);
      expect(await s.consultations.estimates('T2', a.id)).toEqual([]);
      expect((await s.consultations.listForUser('T1', 'U1', 10)).map((r) => r.id)).toEqual([a.id]);
      expect((await s.consultations.listForOperator({ workspace: 'T2', limit: 10 })).map((r) => r.id)).toEqual([b.id]);
      expect(await s.consultations.countSince('T1', 0)).toEqual([{ topic: 'kubernetes', count: 1 }]);
      expect((await s.consultations.resolvedForecasts('T1')).map((r) => r.consultationId)).toEqual([a.id]);
      expect((await s.consultations.resolvedEstimates('T2')).map((r) => r.consultationId)).toEqual([b.id]);
      expect(await s.consultations.countOpenPredictions('T1')).toBe(2);
      expect(await s.consultations.setCheckIn('T1', b.id, START)).toBe(false);
      expect(await s.conversations.get('T3', 'slack', 'D1:1700000000.0001')).toBeUndefined();
      expect(await s.conversations.getReference('T3', 'teams', 'user:U1')).toBeUndefined();
      expect(await s.jobs.cancelPending('T3')).toBe(0);
      expect(await s.settings.getDigest('T3')).toBeUndefined();
      expect(await s.settings.platformOf('T3')).toBeUndefined();
      expect(await s.consultations.outcomeVersion('T1')).not.toBe(await s.consultations.outcomeVersion('T3'));
      expect((await s.tables.counts()).consultations).toBe(2);
    });
  });

  describe('the store', () => {
    it('check: reachable, nothing pending; close can be called twice', async () => {
      expect(await ctx.store.check()).toEqual({ pendingMigrations: 0 });
      const other = await ctx.open();
      await other.close();
      await other.close();
    });
  });
}
