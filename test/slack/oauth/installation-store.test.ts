// The installation store Bolt uses: sealed rows, org-wide installs, the per-process cache, and token
// refresh done by exactly one of several replicas sharing a database (both engines).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { DatabaseInstallationStore, REFRESH_AHEAD_MS, type AnyInstallation, type RefreshedToken } from '../../../src/slack/oauth/installation-store.js';
import { Sealer } from '../../../src/slack/oauth/seal.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestDatabase, pgAvailable, POSTGRES_REQUIRED, serverLabel, type TestDatabase } from '../../helpers/postgres.js';
import { makeTempDir, removeTempDirs } from '../../helpers/temp.js';

const pg = await pgAvailable();
if (!pg && POSTGRES_REQUIRED) throw new Error(`PostgreSQL is required but ${serverLabel()} cannot be reached`);
if (!pg) console.warn(`installation-store.test.ts: PostgreSQL cases skipped, no server at ${serverLabel()}`);

const logger = createLogger('silent');
const KEY = randomBytes(32);
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1);

function installation(team: string | null, options: { enterprise?: string; expiresAt?: number; refresh?: string } = {}): AnyInstallation {
  return {
    team: team ? { id: team, name: team } : undefined,
    enterprise: options.enterprise ? { id: options.enterprise, name: options.enterprise } : undefined,
    isEnterpriseInstall: Boolean(options.enterprise && !team),
    user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
    bot: { id: 'BBOT', userId: 'UBOT', token: `xoxb-${team ?? options.enterprise}-1`, scopes: ['chat:write'], ...(options.refresh ? { refreshToken: options.refresh, expiresAt: Math.floor(options.expiresAt! / 1000) } : {}) },
    authVersion: 'v2',
  } as AnyInstallation;
}

const engines: Array<[string, boolean, () => Promise<{ open: () => Promise<Store>; done: () => Promise<void> }>]> = [
  ['sqlite', true, async () => {
    const path = `${makeTempDir('rc-install-')}/rc.db`;
    return { open: () => openStore({ path }), done: async () => removeTempDirs() };
  }],
  ['postgres', pg, async () => {
    const db: TestDatabase = await createTestDatabase();
    return { open: () => openStore({ url: db.url, path: '' }), done: () => db.drop() };
  }],
];

describe.each(engines)('DatabaseInstallationStore on %s', (_name, enabled, setup) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function replicas(n: number, refresh: (token: string) => Promise<RefreshedToken>, clock = { t: T0 }) {
    const env = await setup();
    const stores = await Promise.all(Array.from({ length: n }, () => env.open()));
    cleanups.push(env.done, ...stores.map((s) => () => s.close()));
    const installs = stores.map((store) => new DatabaseInstallationStore({ store, sealer: new Sealer(KEY), logger, now: () => clock.t, cacheMs: 30_000, refresh }));
    return { stores, installs, clock };
  }

  it.skipIf(!enabled)('stores sealed, finds by team, and finds a team of an org-wide install through its enterprise', async () => {
    const { stores, installs } = await replicas(1, async () => { throw new Error('no refresh expected'); });
    await installs[0]!.storeInstallation(installation('T0001'));
    await installs[0]!.storeInstallation(installation(null, { enterprise: 'E0001' }));
    expect((await installs[0]!.fetchInstallation({ teamId: 'T0001', isEnterpriseInstall: false, enterpriseId: undefined })).bot?.token).toBe('xoxb-T0001-1');
    expect((await installs[0]!.fetchInstallation({ teamId: 'T0999', enterpriseId: 'E0001', isEnterpriseInstall: false })).bot?.token).toBe('xoxb-E0001-1');
    expect((await installs[0]!.fetchInstallation({ teamId: undefined, enterpriseId: 'E0001', isEnterpriseInstall: true })).bot?.token).toBe('xoxb-E0001-1');
    const rows = await stores[0]!.installations.list();
    expect(rows.map((r) => [r.key, r.enterpriseInstall])).toEqual([['E0001', true], ['T0001', false]]);
    expect(JSON.stringify(rows)).not.toContain('xoxb-');
    await expect(installs[0]!.fetchInstallation({ teamId: 'T0404', isEnterpriseInstall: false, enterpriseId: undefined })).rejects.toThrow(/No installation/);
  });

  it.skipIf(!enabled)('answers from its cache within cacheMs, and from the database after', async () => {
    const clock = { t: T0 };
    const { stores, installs } = await replicas(1, async () => { throw new Error('no refresh expected'); }, clock);
    await installs[0]!.storeInstallation(installation('T0001'));
    expect(await installs[0]!.botToken('T0001')).toBe('xoxb-T0001-1');
    await stores[0]!.installations.delete('T0001'); // behind the cache's back, as another replica would
    clock.t += 1_000;
    expect(await installs[0]!.botToken('T0001')).toBe('xoxb-T0001-1');
    clock.t += 30_000;
    expect(await installs[0]!.botToken('T0001')).toBeUndefined();
  });

  it.skipIf(!enabled)('refreshes an expiring token once when three replicas ask while the first one’s refresh is in flight', async () => {
    let calls = 0;
    const refresh = async (token: string): Promise<RefreshedToken> => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { accessToken: `xoxb-T0001-rotated-from-${token}`, refreshToken: 'xoxe-2', expiresInSeconds: 12 * 3600 };
    };
    const clock = { t: T0 };
    const { installs, stores } = await replicas(3, refresh, clock);
    await installs[0]!.storeInstallation(installation('T0001', { refresh: 'xoxe-1', expiresAt: T0 + REFRESH_AHEAD_MS - HOUR }));
    // The second and third replicas ask while the first one's call to Slack is still in flight (20 ms).
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const tokens = await Promise.all(installs.map(async (i, n) => {
      await sleep(n * 8);
      return i.botToken('T0001');
    }));
    expect(calls).toBe(1);
    // Every replica has a token that works: the new one, or the old one that is still valid for hours.
    for (const t of tokens) expect(['xoxb-T0001-1', 'xoxb-T0001-rotated-from-xoxe-1']).toContain(t);
    clock.t += 31_000;
    for (const i of installs) expect(await i.botToken('T0001')).toBe('xoxb-T0001-rotated-from-xoxe-1');
    expect(calls).toBe(1);
    const record = await stores[0]!.installations.get('T0001');
    expect(record!.expiresAt).toBe(Math.floor(clock.t / 1000 - 31) * 1000 + 12 * HOUR);
  });

  it.skipIf(!enabled)('keeps the current token when the refresh fails, and tries again later', async () => {
    let calls = 0;
    const clock = { t: T0 };
    const { installs } = await replicas(1, async () => {
      calls++;
      throw new Error('slack is down');
    }, clock);
    await installs[0]!.storeInstallation(installation('T0001', { refresh: 'xoxe-1', expiresAt: T0 + HOUR }));
    expect(await installs[0]!.botToken('T0001')).toBe('xoxb-T0001-1');
    // Within the failed claim's minute nobody hammers Slack again…
    clock.t += 31_000;
    expect(await installs[0]!.botToken('T0001')).toBe('xoxb-T0001-1');
    expect(calls).toBe(1);
    // …after it, the next lookup tries again.
    clock.t += 30_000;
    expect(await installs[0]!.botToken('T0001')).toBe('xoxb-T0001-1');
    expect(calls).toBe(2);
  });
});
