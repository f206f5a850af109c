// Moving up without losing history: the built CLI copies a SQLite database with consultations,
// outcomes, jobs, settings and conversation state into an empty PostgreSQL one, refuses a non-empty
// target, and afterwards `report --json` agrees on both. Also: backup on PostgreSQL, purge, reseal.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { KUBERNETES_ANSWERS } from '../helpers/answers.js';
import { createTestDatabase, onDatabase, pgAvailable, POSTGRES_REQUIRED, serverLabel, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
const available = await pgAvailable();
if (!available && POSTGRES_REQUIRED) throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${serverLabel()} cannot be reached`);
if (!available) console.warn(`db-copy.test.ts skipped: no PostgreSQL at ${serverLabel()}`);

function run(args: string[], extraEnv: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const name of ['DATABASE_PATH', 'DATABASE_URL', 'KNOWLEDGE_DIR', 'TOKEN_ENCRYPTION_KEY', 'TOKEN_ENCRYPTION_KEY_PREVIOUS']) if (!(name in extraEnv)) delete env[name];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: { status: number | null; stdout: string; stderr: string }): string {
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe.skipIf(!available)('db copy: SQLite → PostgreSQL', () => {
  let dir: string;
  let sqlite: string;
  let target: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    dir = makeTempDir('rc-copy-');
    sqlite = join(dir, 'rc.db');
    const answers = join(dir, 'answers.json');
    writeFileSync(answers, JSON.stringify(KUBERNETES_ANSWERS));
    // History worth keeping: consultations in two workspaces, outcomes, and the rest of the tables.
    const ids: string[] = [];
    for (const workspace of ['T0001', 'T0001', 'T0002']) {
      ids.push(JSON.parse(ok(run(['--db', sqlite, 'ask', 'should we use kubernetes?', '--answers', answers, '--json', '--workspace', workspace]))).id as string);
    }
    const outcomes = join(dir, 'outcomes.json');
    writeFileSync(outcomes, JSON.stringify({ failureModes: { 'learning-curve-stall': true, 'local-dev-slowdown': false }, actualCost: 250_000, actualMonths: 7 }));
    ok(run(['--db', sqlite, 'resolve', ids[0]!, '--outcomes', outcomes]));
    const store = openSqliteStore(sqlite);
    await store.settings.setDigest('T0001', { channel: 'C0DIGEST', platform: 'slack', weekday: 1, hour: 9, minute: 0, timeZone: 'Europe/Berlin' }, 1_700_000_000_000);
    await store.conversations.put('T0001', 'slack', 'D1:1700.1', { userId: 'U1', state: { question: 'q', topic: 'kubernetes', answers: { 'team-size': 'under-10' }, history: ['team-size'] }, messageRef: '1700.2' }, 1_700_000_000_000);
    await store.events.markProcessed('T0001', 'Ev1', 1_700_000_000_000);
    await store.close();
    target = await createTestDatabase();
    second = await createTestDatabase();
  }, 60_000);

  afterAll(async () => {
    await target?.drop();
    await second?.drop();
    removeTempDirs();
  });

  it('copies every table, prints both sides’ row counts, and the report agrees on both', async () => {
    const out = ok(run(['db', 'copy', '--from', sqlite, '--to', target.url, '--json']));
    const counts = JSON.parse(out) as Record<string, { source: number; target: number }>;
    for (const [table, c] of Object.entries(counts)) expect(c.target, table).toBe(c.source);
    expect(counts.consultations!.source).toBe(3);
    expect(counts.outcomes!.source).toBeGreaterThan(0);
    expect(counts.scheduled_jobs!.source).toBe(3);
    expect(counts.workspace_settings!.source).toBe(1);
    expect(counts.conversations!.source).toBe(1);
    expect(counts.processed_events!.source).toBe(1);

    const fromSqlite = JSON.parse(ok(run(['--db', sqlite, 'report', '--json']))) as { resolved: number; brier: number | null };
    const fromPostgres = JSON.parse(ok(run(['report', '--json'], { DATABASE_URL: target.url }))) as { resolved: number; brier: number | null };
    expect(fromSqlite.resolved).toBeGreaterThan(0);
    expect(fromPostgres.resolved).toBe(fromSqlite.resolved);
    expect(fromPostgres.brier).toBeCloseTo(fromSqlite.brier!, 12);
    // The copy goes on working: a new consultation gets a fresh id, not one the copy already used.
    const listed = JSON.parse(ok(run(['list', '--json'], { DATABASE_URL: target.url }))) as Array<{ id: string; predictions: unknown[] }>;
    expect(listed).toHaveLength(3);
    const answers = join(dir, 'answers.json');
    // (It would fail on a duplicate key if the copy had left the id sequences behind the copied ids.)
    ok(run(['ask', 'should we use kubernetes?', '--answers', answers, '--json'], { DATABASE_URL: target.url }));
  });

  it('refuses a target that is not empty, and leaves it as it was', async () => {
    const r = run(['db', 'copy', '--from', sqlite, '--to', target.url]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not empty.*consultations: 4/);
    const n = await onDatabase(target.url, async (c) => (await c.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM consultations')).rows[0]!.n);
    expect(n).toBe(4);
  });

  it('refuses a target that is not a PostgreSQL URL', () => {
    const r = run(['db', 'copy', '--from', sqlite, '--to', join(dir, 'other.db')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--to must be a postgres:// URL');
  });

  it('backup on PostgreSQL shows the pg_dump command instead of copying', () => {
    const out = ok(run(['backup', join(dir, 'backup.dump')], { DATABASE_URL: second.url }));
    expect(out).toContain('pg_dump --format=custom');
    expect(out).toContain(second.name);
  });

  it('workspace purge deletes one workspace’s rows and nothing of another’s', async () => {
    const out = JSON.parse(ok(run(['workspace', 'purge', 'T0002', '--json'], { DATABASE_URL: target.url }))) as Record<string, number>;
    expect(out.consultations).toBe(1);
    const left = await onDatabase(target.url, async (c) => (await c.query<{ workspace: string }>('SELECT DISTINCT workspace FROM consultations')).rows.map((r) => r.workspace));
    expect(left.sort()).toEqual(['T0001', 'cli']);
  });

  it('refuses DATABASE_URL and DATABASE_PATH set together, in one line', () => {
    const r = run(['list'], { DATABASE_URL: target.url, DATABASE_PATH: sqlite });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('Both DATABASE_URL and DATABASE_PATH');
  });

  it('installations reseal re-encrypts under a new key; list never shows a token', async () => {
    const { Sealer } = await import('../../src/slack/oauth/seal.js');
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const { openStore } = await import('../../src/store/index.js');
    const store = await openStore({ url: second.url, path: '' });
    await store.installations.put({ key: 'T0009', teamId: 'T0009', enterpriseId: null, enterpriseInstall: false, sealed: new Sealer(oldKey).seal('{"bot":{"token":"xoxb-9"}}', 'T0009'), expiresAt: null, updatedAt: 1 });
    await store.close();
    const env = { DATABASE_URL: second.url, TOKEN_ENCRYPTION_KEY: newKey.toString('base64'), TOKEN_ENCRYPTION_KEY_PREVIOUS: oldKey.toString('base64') };
    expect(ok(run(['installations', 'reseal'], env))).toBe('');
    const after = await openStore({ url: second.url, path: '' });
    const record = (await after.installations.get('T0009'))!;
    await after.close();
    expect(new Sealer(newKey).open(record.sealed, 'T0009')).toBe('{"bot":{"token":"xoxb-9"}}');
    expect(ok(run(['installations', 'list'], env))).not.toContain('xoxb');
  });
});
