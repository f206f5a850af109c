// `npm run bench:installations`: what Bolt's per-request installation lookup costs with and without the
// per-process cache (INSTALLATION_CACHE_MS), on SQLite and, when it answers, PostgreSQL on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createLogger } from '../src/log.js';
import { DatabaseInstallationStore } from '../src/slack/oauth/installation-store.js';
import { Sealer } from '../src/slack/oauth/seal.js';
import { openStore, type Store } from '../src/store/index.js';
import { fmt, summarise } from './stats.js';

const LOOKUPS = 20_000;
const WORKSPACES = 200;
const SERVER = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function measure(store: Store, cacheMs: number): Promise<number[]> {
  const installs = new DatabaseInstallationStore({ store, sealer: new Sealer(randomBytes(32)), logger: createLogger('silent'), now: Date.now, cacheMs, refresh: async () => { throw new Error('no rotation here'); } });
  for (let w = 0; w < WORKSPACES; w++) {
    await installs.storeInstallation({ team: { id: `T${w}`, name: 'bench' }, enterprise: undefined, isEnterpriseInstall: false, user: { id: 'U1', token: undefined, scopes: undefined }, bot: { id: 'B1', userId: 'UBOT', token: `xoxb-${w}`, scopes: ['chat:write'] }, authVersion: 'v2' });
  }
  const times: number[] = [];
  for (let i = 0; i < LOOKUPS; i++) {
    const started = performance.now();
    await installs.fetchInstallation({ teamId: `T${i % WORKSPACES}`, enterpriseId: undefined, isEnterpriseInstall: false });
    times.push((performance.now() - started) * 1000);
  }
  return times.slice(LOOKUPS / 10); // the first tenth warms the JIT and the cache
}

async function postgres(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: SERVER });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `rc_bench_install_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: SERVER });
      await c.connect();
      await c.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const rows: string[] = [];
const engines: Array<{ name: string; open: () => Promise<Store>; done?: () => Promise<void> }> = [
  { name: 'sqlite', open: () => openStore({ path: join(mkdtempSync(join(tmpdir(), 'rc-bench-install-')), 'rc.db') }) },
];
const pgDb = await postgres();
if (pgDb) engines.push({ name: 'postgres', open: () => openStore({ url: pgDb.url, path: '' }), done: pgDb.drop });
else console.log(`PostgreSQL not reachable at ${SERVER}: measuring SQLite only`);

for (const engine of engines) {
  const store = await engine.open();
  const uncached = summarise(await measure(store, 0));
  const cached = summarise(await measure(store, 30_000));
  await store.close();
  await engine.done?.();
  rows.push(`| ${engine.name} | ${fmt(uncached.p50 / 1000)} / ${fmt(uncached.p99 / 1000)} | ${fmt(cached.p50 / 1000)} / ${fmt(cached.p99 / 1000)} | ${(uncached.p50 / cached.p50).toFixed(0)}× |`);
}
console.log(`installation lookup (fetchInstallation), ${LOOKUPS.toLocaleString()} lookups over ${WORKSPACES} workspaces, p50 / p99:`);
console.log('| engine | no cache | cache (30 s) | p50 ratio |\n|---|---|---|---|');
for (const r of rows) console.log(r);
