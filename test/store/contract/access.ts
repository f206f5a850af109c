// Contract: Slack installations (re-install bumps the version, refresh is a compare-and-set) and the
// per-user rate limit over a sliding hour, both of which must hold when calls arrive at once.
import { describe, expect, it } from 'vitest';
import type { InstallationRecord } from '../../../src/store/index.js';
import { START, type StoreContext } from './context.js';

/** The top of an hour, so positions inside the window are exact. */
const HOUR = 3_600_000;
const T0 = Math.floor(START / HOUR) * HOUR;

const install = (key: string, overrides: Partial<InstallationRecord> = {}): Omit<InstallationRecord, 'version'> => ({
  key,
  teamId: key,
  enterpriseId: null,
  enterpriseInstall: false,
  sealed: `sealed:${key}`,
  expiresAt: null,
  updatedAt: START,
  ...overrides,
});

export function accessContract(ctx: StoreContext): void {
  describe('installations', () => {
    it('put then get at version 1; a re-install replaces every field and moves the version on', async () => {
      expect(await ctx.store.installations.get('T1')).toBeUndefined();
      await ctx.store.installations.put(install('T1'));
      expect(await ctx.store.installations.get('T1')).toStrictEqual({ ...install('T1'), version: 1 });
      const org = install('E1', { teamId: null, enterpriseId: 'E1', enterpriseInstall: true, sealed: 'v2', expiresAt: START + 43_200_000, updatedAt: START + 1 });
      await ctx.store.installations.put({ ...org, key: 'T1' });
      expect(await ctx.store.installations.get('T1')).toStrictEqual({ ...org, key: 'T1', version: 2 });
    });

    it('replaceIf replaces only at the stored version', async () => {
      await ctx.store.installations.put(install('T1', { expiresAt: START }));
      expect(await ctx.store.installations.replaceIf('T1', 1, 'refreshed', START + 100, START + 1)).toBe(true);
      expect(await ctx.store.installations.get('T1')).toMatchObject({ sealed: 'refreshed', expiresAt: START + 100, version: 2, updatedAt: START + 1, teamId: 'T1' });
      expect(await ctx.store.installations.replaceIf('T1', 1, 'stale', null, START + 2)).toBe(false);
      expect(await ctx.store.installations.get('T1')).toMatchObject({ sealed: 'refreshed', version: 2 });
      expect(await ctx.store.installations.replaceIf('T9', 1, 'nobody', null, START)).toBe(false);
      expect(await ctx.store.installations.replaceIf('T1', 2, 'no expiry', null, START + 3)).toBe(true);
      expect(await ctx.store.installations.get('T1')).toMatchObject({ sealed: 'no expiry', expiresAt: null, version: 3 });
    });

    it('of several refreshes racing from one version, exactly one wins', async () => {
      await ctx.store.installations.put(install('T1'));
      const results = await Promise.all([1, 2, 3, 4, 5].map((n) => ctx.store.installations.replaceIf('T1', 1, `refresh-${n}`, null, START + n)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true) + 1;
      expect(await ctx.store.installations.get('T1')).toMatchObject({ sealed: `refresh-${winner}`, version: 2 });
    });

    it('delete says whether there was one; list returns all in key order', async () => {
      for (const key of ['b', 'T2', 'B', 'a']) await ctx.store.installations.put(install(key));
      expect((await ctx.store.installations.list()).map((r) => [r.key, r.version])).toEqual([
        ['B', 1],
        ['T2', 1],
        ['a', 1],
        ['b', 1],
      ]);
      expect(await ctx.store.installations.delete('T2')).toBe(true);
      expect(await ctx.store.installations.delete('T2')).toBe(false);
      expect((await ctx.store.installations.list()).map((r) => r.key)).toEqual(['B', 'a', 'b']);
      expect((await ctx.store.installations.list())[0]).toStrictEqual({ ...install('B'), version: 1 });
    });
  });

  describe('rate limits', () => {
    const hits = async (n: number, at: number, limit: number, user = 'U1', workspace = 'T1'): Promise<boolean[]> => {
      const out: boolean[] = [];
      for (let i = 0; i < n; i++) out.push(await ctx.store.rateLimits.hit(workspace, user, at, limit));
      return out;
    };

    it('allows `limit` hits an hour; refused hits are not counted', async () => {
      expect(await hits(5, T0 + 10 * 60_000, 3)).toEqual([true, true, true, false, false]);
      // Other users and workspaces have counters of their own.
      expect(await hits(1, T0 + 10 * 60_000, 3, 'U2')).toEqual([true]);
      expect(await hits(1, T0 + 10 * 60_000, 3, 'U1', 'T2')).toEqual([true]);
      // At the next hour's start the last hour still weighs in full: 1 + 3 > 3.
      expect(await hits(1, T0 + HOUR, 3)).toEqual([false]);
      // Halfway through it weighs half: 1 + 1.5 ≤ 3, then 2 + 1.5 > 3 (3 counted, not 5: refusals left no trace).
      expect(await hits(2, T0 + HOUR + HOUR / 2, 3)).toEqual([true, false]);
      // Two hours on, only the hour before counts (1 hit, weighing 59/60): 1.98, 2.98, then 3.98 > 3.
      expect(await hits(3, T0 + 2 * HOUR + 60_000, 3)).toEqual([true, true, false]);
      // A millisecond before the hour ends, that hit still weighs a sliver: 3 + 1/3,600,000 > 3.
      expect(await hits(1, T0 + 3 * HOUR - 1, 3)).toEqual([false]);
    });

    it('hits at the same moment never let more than the limit through', async () => {
      const results = await Promise.all(Array.from({ length: 12 }, () => ctx.store.rateLimits.hit('T1', 'U1', T0 + 1, 5)));
      expect(results.filter(Boolean)).toHaveLength(5);
      expect((await ctx.store.tables.read('rate_limits', 0, 10)).map((r) => r.hits)).toEqual([5]);
    });

    it('prune drops counters that can no longer weigh in', async () => {
      await hits(2, T0, 10);
      await hits(1, T0 + HOUR, 10);
      await hits(1, T0 + HOUR, 10, 'U2', 'T2');
      await hits(1, T0 + 2 * HOUR, 10);
      // At T0 + 2h the window of T0 no longer counts; T0 + 1h still does.
      expect(await ctx.store.rateLimits.prune(T0 + 2 * HOUR)).toBe(1);
      expect((await ctx.store.tables.read('rate_limits', 0, 10)).map((r) => [r.workspace, r.window_start, r.hits])).toEqual([
        ['T1', T0 + HOUR, 1],
        ['T2', T0 + HOUR, 1],
        ['T1', T0 + 2 * HOUR, 1],
      ]);
      expect(await ctx.store.rateLimits.prune(T0 + 2 * HOUR)).toBe(0);
    });
  });
}
