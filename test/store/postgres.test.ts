// The PostgreSQL store: the Store contract (one database for this file, a schema per store), then what
// only PostgreSQL has — migrations under an advisory lock with the same refusals as SQLite, several
// replicas (pools) at once, connection failures that never show the password, and parity with SQLite.
import { appendFileSync, cpSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError, DatabaseUnavailableError, MigrationError } from '../../src/errors.js';
import { POSTGRES_MIGRATIONS } from '../../src/paths.js';
import { TABLES, type RawRow, type Store } from '../../src/store/index.js';
import { readMigrations } from '../../src/store/migrations.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/index.js';
import { migrate, MIGRATION_LOCK, pendingMigrations } from '../../src/store/postgres/migrate.js';
import { createPool, type PgDb } from '../../src/store/postgres/pool.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { createTestDatabase, databaseUrl, onDatabase, pgAvailable, POSTGRES_REQUIRED, serverLabel, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';
import { describeStoreContract } from './contract.js';
import { fillWorkspace, saved, START } from './contract/context.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const SHIPPED = readMigrations(POSTGRES_MIGRATIONS);
const SHIPPED_NAMES = SHIPPED.map((m) => m.name);

const available = await pgAvailable();
const skip = !available && !POSTGRES_REQUIRED;
if (skip) {
  console.warn(`test/store/postgres.test.ts: skipping the PostgreSQL store suites: no PostgreSQL server answers at ${serverLabel()} (set TEST_DATABASE_URL to one, or REQUIRE_POSTGRES=1 to fail instead of skipping).`);
}

/**
 * The same database seen through one schema: each contract store gets an empty one of its own. Commits
 * do not wait for the disk here (synchronous_commit=off changes durability after a server crash, not
 * what any session sees), which makes the suite several times faster on a slow disk.
 */
function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema} -c synchronous_commit=off`);
  return u.toString();
}

/** Polls a condition the test cannot await directly (another session's state), for at most ten seconds. */
async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe.skipIf(skip)('PostgreSQL server', () => {
  it('answers, so the PostgreSQL suites can run', () => {
    expect(available, `no PostgreSQL server answers at ${serverLabel()}, and REQUIRE_POSTGRES=1`).toBe(true);
  });
});

describe.skipIf(skip)('PostgreSQL', () => {
  let main: TestDatabase | undefined;
  let schemas = 0;
  const free: string[] = [];
  const used: string[] = [];
  beforeAll(async () => {
    main = await createTestDatabase();
  });
  afterAll(async () => {
    await main?.drop();
  });

  describeStoreContract('PostgreSQL', {
    open: async () => {
      let schema = free.pop();
      if (!schema) {
        schema = `store_${++schemas}`;
        await onDatabase(main!.url, (client) => client.query(`CREATE SCHEMA ${schema}`));
      }
      used.push(schema);
      return openPostgresStore(withSearchPath(main!.url, schema), { now: NOW });
    },
    // A used schema, emptied and its id sequences restarted, is as good as new for the next test and far
    // cheaper than migrating another one. DELETE, not TRUNCATE: on tables this small TRUNCATE's new files
    // cost ten times more.
    cleanup: async () => {
      await onDatabase(main!.url, async (client) => {
        await client.query('SET synchronous_commit = off');
        for (const schema of used) {
          const statements = [...TABLES].reverse().map((t) => `DELETE FROM ${schema}.${t};`);
          for (const t of ['predictions', 'estimates', 'outcomes', 'scheduled_jobs']) statements.push(`SELECT setval(pg_get_serial_sequence('${schema}.${t}', 'id'), 1, false);`);
          await client.query(`BEGIN; ${statements.join(' ')} COMMIT;`);
        }
      });
      free.push(...used.splice(0));
    },
  });

  // Engine-specific tests get whole databases of their own: migrations and locks are per database.
  const databases: TestDatabase[] = [];
  const pools: PgDb[] = [];
  const stores: Store[] = [];
  const fresh = async (): Promise<TestDatabase> => {
    const database = await createTestDatabase();
    databases.push(database);
    return database;
  };
  const poolOn = (url: string): PgDb => {
    const db = createPool(url);
    pools.push(db);
    return db;
  };
  const storeOn = async (url: string, options: { migrate?: boolean } = {}): Promise<PostgresStore> => {
    const store = await openPostgresStore(url, { now: NOW, ...options });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const db of pools.splice(0)) await db.pool.end();
    for (const database of databases.splice(0)) await database.drop();
    removeTempDirs();
  });

  function copyMigrations(): string {
    const dir = join(makeTempDir(), 'migrations');
    cpSync(POSTGRES_MIGRATIONS, dir, { recursive: true });
    return dir;
  }

  const tablesOf = async (db: PgDb): Promise<string[]> =>
    (await db.rows<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name')).map((r) => r.table_name);

  describe('PostgreSQL: migrate', () => {
    it('applies every shipped migration to an empty database, recording name, checksum and time; nothing the second time', async () => {
      const db = poolOn((await fresh()).url);
      expect(SHIPPED_NAMES[0]).toBe('0001_initial');
      expect(await pendingMigrations(db, POSTGRES_MIGRATIONS)).toEqual(SHIPPED_NAMES);

      expect(await migrate(db, POSTGRES_MIGRATIONS, NOW)).toEqual(SHIPPED_NAMES);

      const recorded = SHIPPED.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum, applied_at: NOW }));
      expect(await db.rows('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')).toEqual(recorded);
      expect(await tablesOf(db)).toEqual([...TABLES, 'schema_migrations'].sort());
      expect(await pendingMigrations(db, POSTGRES_MIGRATIONS)).toEqual([]);
      expect(await migrate(db, POSTGRES_MIGRATIONS, NOW + 60_000)).toEqual([]);
      expect(await db.rows('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')).toEqual(recorded);
    });

    it('three stores opening at once on an empty database migrate it exactly once', async () => {
      const database = await fresh();
      await onDatabase(database.url, async (admin) => {
        // Hold the migration lock so all three are provably waiting on it together, then let them race.
        await admin.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
        const opening = Promise.allSettled([1, 2, 3].map(() => storeOn(database.url)));
        await waitFor(async () => (await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()")).rows[0]!.n === 3, 'three sessions waiting on the migration lock');
        await admin.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
        const results = await opening;
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      });
      const db = poolOn(database.url);
      expect(await db.rows('SELECT version, count(*)::int AS times FROM schema_migrations GROUP BY version ORDER BY version')).toEqual(SHIPPED.map((m) => ({ version: m.version, times: 1 })));
      for (const store of stores) expect(await store.check()).toEqual({ pendingMigrations: 0 });
    });

    it('of several migrators racing, one applies each migration and the others find nothing to do', async () => {
      const url = (await fresh()).url;
      const applied = await Promise.all([1, 2, 3, 4].map(() => migrate(poolOn(url), POSTGRES_MIGRATIONS, NOW)));
      expect(applied.flat()).toEqual(SHIPPED_NAMES);
    });

    it('applies only a newly added migration on the next run', async () => {
      const dir = copyMigrations();
      const db = poolOn((await fresh()).url);
      await migrate(db, dir, NOW);
      writeFileSync(join(dir, '9000_add_notes.sql'), 'CREATE TABLE notes (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, body TEXT NOT NULL);\n');

      expect(await migrate(db, dir, NOW + 1000)).toEqual(['9000_add_notes']);
      expect(await tablesOf(db)).toContain('notes');
      expect(await db.rows('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')).toEqual([
        ...SHIPPED.map((m) => ({ version: m.version, name: m.name, applied_at: NOW })),
        { version: 9000, name: '9000_add_notes', applied_at: NOW + 1000 },
      ]);
    });

    it('rolls a failing migration back whole, does not record it, and leaves the lock free', async () => {
      const dir = copyMigrations();
      const db = poolOn((await fresh()).url);
      await migrate(db, dir, NOW);
      writeFileSync(join(dir, '9001_broken.sql'), 'CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n');

      await expect(migrate(db, dir, NOW)).rejects.toThrow(/no_such_table/);
      expect(await tablesOf(db)).not.toContain('half_done');
      expect(await db.rows('SELECT version FROM schema_migrations ORDER BY version')).toEqual(SHIPPED.map((m) => ({ version: m.version })));
      expect(await pendingMigrations(db, dir)).toEqual(['9001_broken']);
      // Another migrator (here: the same, fixed) is not left waiting on a lock nobody holds.
      unlinkSync(join(dir, '9001_broken.sql'));
      expect(await migrate(poolOn(databases[0]!.url), dir, NOW)).toEqual([]);
    });

    it('ignores files that are not named NNNN_name.sql', async () => {
      const dir = copyMigrations();
      writeFileSync(join(dir, 'README.md'), '# not a migration');
      writeFileSync(join(dir, '2_bad_name.sql'), 'CREATE TABLE should_not_exist (id INTEGER);');
      const db = poolOn((await fresh()).url);
      expect(await migrate(db, dir, NOW)).toEqual(SHIPPED_NAMES);
      expect(await tablesOf(db)).not.toContain('should_not_exist');
    });

    it('refuses a migration edited after it was applied, naming it', async () => {
      const dir = copyMigrations();
      const db = poolOn((await fresh()).url);
      await migrate(db, dir, NOW);
      appendFileSync(join(dir, '0001_initial.sql'), '\n-- an innocent-looking edit\n');

      const error = await rejection(migrate(db, dir, NOW));

      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).code).toBe('MIGRATION_EDITED');
      expect((error as MigrationError).message).toContain('0001_initial');
    });

    it('refuses a database that has a migration this code does not know, also when opening a store', async () => {
      const database = await fresh();
      const db = poolOn(database.url);
      await migrate(db, POSTGRES_MIGRATIONS, NOW);
      await db.run('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [9999, '9999_from_the_future', 'abc', NOW]);

      const error = await rejection(migrate(db, POSTGRES_MIGRATIONS, NOW));
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).code).toBe('DATABASE_NEWER');
      expect((error as MigrationError).message).toContain('9999_from_the_future');

      expect(((await rejection(openPostgresStore(database.url))) as AppError).code).toBe('DATABASE_NEWER');
    });

    it('check() counts what a store opened without migrating still needs', async () => {
      const url = (await fresh()).url;
      const store = await storeOn(url, { migrate: false });
      expect(await store.check()).toEqual({ pendingMigrations: SHIPPED.length });
      await migrate(poolOn(url), POSTGRES_MIGRATIONS, NOW);
      expect(await store.check()).toEqual({ pendingMigrations: 0 });
    });
  });

  describe('PostgreSQL: several replicas at once', () => {
    it('two pools claiming the same due jobs at once get disjoint sets, each job claimed once', async () => {
      const url = (await fresh()).url;
      const [a, b] = [await storeOn(url), await storeOn(url)];
      for (let i = 0; i < 120; i++) await a.jobs.enqueue({ workspace: 'T1', kind: 'digest', key: `k${i}`, dueAt: START - i }, START);

      const byPool: [string[], string[]] = [[], []];
      for (;;) {
        // Several claims per pool in flight together, on as many connections.
        const rounds = await Promise.all([a, b, a, b, a, b].map((store) => store.jobs.claimDue(START, 600_000, 7)));
        if (rounds.every((jobs) => jobs.length === 0)) break;
        rounds.forEach((jobs, i) => byPool[i % 2]!.push(...jobs.map((j) => j.key)));
      }
      const all = [...byPool[0], ...byPool[1]];
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBe(120);
      expect(byPool[0].filter((key) => byPool[1].includes(key))).toEqual([]);
      const rows = await a.tables.read('scheduled_jobs', 0, 1000);
      expect(new Set(rows.map((r) => r.attempts))).toEqual(new Set([1]));
    });

    it('a job another claimer holds locked is skipped, not waited for', async () => {
      const database = await fresh();
      const store = await storeOn(database.url);
      for (const key of ['a', 'b', 'c']) await store.jobs.enqueue({ workspace: 'T1', kind: 'digest', key, dueAt: START }, START);
      await onDatabase(database.url, async (other) => {
        await other.query('BEGIN');
        await other.query("SELECT id FROM scheduled_jobs WHERE job_key = 'a' FOR UPDATE");
        expect((await store.jobs.claimDue(START, 60_000, 10)).map((j) => j.key)).toEqual(['b', 'c']);
        await other.query('ROLLBACK');
      });
      expect((await store.jobs.claimDue(START, 60_000, 10)).map((j) => j.key)).toEqual(['a']);
    });

    it('the rate limit holds for hits arriving at once through three pools', async () => {
      const url = (await fresh()).url;
      const replicas = [await storeOn(url), await storeOn(url), await storeOn(url)];
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => replicas[i % 3]!.rateLimits.hit('T1', 'U1', START, 7)));
      expect(results.filter(Boolean)).toHaveLength(7);
      expect((await replicas[0]!.tables.read('rate_limits', 0, 10)).map((r) => r.hits)).toEqual([7]);
    });

    it('one installation refresh wins, and one redelivery is first, across pools', async () => {
      const url = (await fresh()).url;
      const [a, b] = [await storeOn(url), await storeOn(url)];
      await a.installations.put({ key: 'T1', teamId: 'T1', enterpriseId: null, enterpriseInstall: false, sealed: 's0', expiresAt: null, updatedAt: START });
      const refreshed = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).installations.replaceIf('T1', 1, `s${i}`, null, START + i)));
      expect(refreshed.filter(Boolean)).toHaveLength(1);
      expect((await b.installations.get('T1'))?.version).toBe(2);
      const first = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).events.markProcessed('T1', 'Ev1', START)));
      expect(first.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('PostgreSQL: connections', () => {
    const PASSWORD = 'S3cret-pw!';
    const expectNoPassword = (error: unknown) => {
      for (const text of [String(error), (error as Error).message, inspect(error, { depth: 10 }), JSON.stringify(error)]) {
        expect(text).not.toContain(PASSWORD);
        expect(text).not.toContain(encodeURIComponent(PASSWORD));
      }
    };

    it('an unreachable server is DATABASE_UNAVAILABLE naming host, port, database and user, never the password', async () => {
      const error = await rejection(openPostgresStore(`postgres://rc_user:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/rc_db`));
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as AppError).code).toBe('DATABASE_UNAVAILABLE');
      expect((error as AppError).message).toContain('postgres://rc_user@127.0.0.1:1/rc_db');
      expect((error as AppError).message).toMatch(/ECONNREFUSED/);
      expectNoPassword(error);
    });

    it('a database that does not exist is DATABASE_UNAVAILABLE naming it', async () => {
      const url = new URL(databaseUrl('rc_no_such_database'));
      url.password = encodeURIComponent(PASSWORD);
      const error = await rejection(openPostgresStore(url.toString()));
      expect((error as AppError).code).toBe('DATABASE_UNAVAILABLE');
      expect((error as AppError).message).toContain('rc_no_such_database');
      expect((error as AppError).message).toMatch(/does not exist/);
      expectNoPassword(error);
    });

    it('a URL that is not postgres:// is CONFIG_INVALID, without echoing it', async () => {
      for (const url of [`postgres://u:${PASSWORD}@host:notaport/db`, `mysql://u:${PASSWORD}@127.0.0.1/db`]) {
        const error = await rejection(openPostgresStore(url));
        expect((error as AppError).code).toBe('CONFIG_INVALID');
        expectNoPassword(error);
      }
    });

    it('survives the server dropping its idle connections, and reconnects for the next query', async () => {
      const database = await fresh();
      const store = await storeOn(database.url);
      await Promise.all([store.check(), store.check(), store.check()]);
      const dropped = new Promise<Error>((resolve) => store.pool.once('error', resolve));
      const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
      await onDatabase(database.url, (admin) =>
        admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'reality-check'"),
      );
      await dropped;
      expect((await warned).message).toContain(database.name);
      expect(await store.check()).toEqual({ pendingMigrations: 0 });
      await saved(store);
      expect((await store.tables.counts()).consultations).toBe(1);
    });

    it('check() throws DATABASE_UNAVAILABLE once the database is gone', async () => {
      const database = await fresh();
      const store = await storeOn(database.url);
      expect(await store.check()).toEqual({ pendingMigrations: 0 });
      const dropped = new Promise<void>((resolve) => store.pool.once('error', () => resolve()));
      await database.drop();
      await dropped;
      const error = await rejection(store.check());
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as AppError).message).toContain(database.name);
    });

    it('failed transactions give their connection back to the pool', async () => {
      const store = await storeOn((await fresh()).url);
      const c = await saved(store);
      // More failures than the pool has connections: a leaked client per failure would exhaust it.
      for (let i = 0; i < 15; i++) await expect(store.consultations.save(c)).rejects.toThrow(/duplicate key/);
      expect(store.pool.totalCount).toBeLessThanOrEqual(10);
      await saved(store);
      expect((await store.tables.counts()).consultations).toBe(2);
    });

    it("the unsynced commits of a rate-limit hit and a questionnaire step stay with their own statements: every pooled connection still commits synchronously after", async () => {
      const store = await storeOn((await fresh()).url);
      // Hits and questionnaire writes at once, so the pool opens several connections; each runs some of both.
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.rateLimits.hit('T1', `U${i % 4}`, START, 2)));
      expect(results.filter(Boolean)).toHaveLength(8);
      expect(await store.rateLimits.hit('T1', 'U0', START, 2)).toBe(false);
      const state = { question: 'should we use kubernetes?', topic: 'kubernetes', answers: {}, history: [] };
      await Promise.all(Array.from({ length: 8 }, (_, i) => store.conversations.put('T1', 'slack', `D${i}`, { userId: `U${i}`, state, messageRef: null }, START + i)));
      await store.conversations.put('T1', 'slack', 'D0', { userId: 'U0', state: { ...state, answers: { team: 'small' } }, messageRef: '1.2' }, START + 9);
      expect(await store.conversations.get('T1', 'slack', 'D0')).toEqual({ userId: 'U0', state: { ...state, answers: { team: 'small' } }, messageRef: '1.2' });
      const clients = await Promise.all(Array.from({ length: store.pool.totalCount }, () => store.pool.connect()));
      try {
        expect(clients.length).toBeGreaterThan(1);
        for (const client of clients) expect((await client.query('SHOW synchronous_commit')).rows[0]).toEqual({ synchronous_commit: 'on' });
      } finally {
        for (const client of clients) client.release();
      }
    });

    it('reads BIGINT, COUNT and NUMERIC as numbers on its own pool, leaving the global parsers alone; names its connections', async () => {
      const store = await storeOn((await fresh()).url);
      const { rows } = await store.pool.query<{ big: unknown; n: unknown; num: unknown; app: unknown }>(
        "SELECT 9007199254740991::bigint AS big, count(*) AS n, 12.5::numeric AS num, current_setting('application_name') AS app FROM generate_series(1, 3)",
      );
      expect(rows).toEqual([{ big: Number.MAX_SAFE_INTEGER, n: 3, num: 12.5, app: 'reality-check' }]);
      expect(pg.types.getTypeParser(20)('5')).toBe('5');
    });
  });

  describe('PostgreSQL: parity with SQLite', () => {
    it('every table has the columns it has on SQLite, in the same order', async () => {
      const sqlite = openSqliteStore(join(makeTempDir(), 'rc.db'), { now: NOW });
      stores.push(sqlite);
      const postgres = poolOn((await fresh()).url);
      await migrate(postgres, POSTGRES_MIGRATIONS, NOW);
      for (const table of [...TABLES, 'schema_migrations']) {
        const onSqlite = (sqlite.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name);
        const onPostgres = (await postgres.rows<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position', [table])).map((c) => c.column_name);
        expect(onPostgres, table).toEqual(onSqlite);
      }
    });

    it('a SQLite database copies into PostgreSQL row for row, and reads the same there', async () => {
      const sqlite = openSqliteStore(join(makeTempDir(), 'rc.db'), { now: NOW });
      stores.push(sqlite);
      await fillWorkspace(sqlite, 'T1');
      await fillWorkspace(sqlite, 'T2', START + 1);
      await sqlite.jobs.claimDue(START + 86_400_000, 60_000, 1);
      const postgres = await storeOn((await fresh()).url);

      for (const table of TABLES) {
        for (let offset = 0; ; offset += 3) {
          const rows: RawRow[] = await sqlite.tables.read(table, offset, 3);
          await postgres.tables.write(table, rows);
          if (rows.length < 3) break;
        }
      }

      expect(await postgres.tables.counts()).toStrictEqual(await sqlite.tables.counts());
      for (const table of TABLES) expect(await postgres.tables.read(table, 0, 1000), table).toStrictEqual(await sqlite.tables.read(table, 0, 1000));
      for (const workspace of ['T1', 'T2']) {
        expect(await postgres.consultations.resolvedForecasts(workspace)).toStrictEqual(await sqlite.consultations.resolvedForecasts(workspace));
        expect(await postgres.consultations.resolvedEstimates(workspace)).toStrictEqual(await sqlite.consultations.resolvedEstimates(workspace));
        expect(await postgres.consultations.listForUser(workspace, 'U1', 10)).toStrictEqual(await sqlite.consultations.listForUser(workspace, 'U1', 10));
        expect(await postgres.settings.getDigest(workspace)).toStrictEqual(await sqlite.settings.getDigest(workspace));
      }
      expect(await postgres.installations.list()).toStrictEqual(await sqlite.installations.list());
      expect(await postgres.jobs.lag(START + 2 * 86_400_000)).toBe(await sqlite.jobs.lag(START + 2 * 86_400_000));
      // The copy carries on: new rows get ids past the copied ones.
      await saved(postgres, { workspace: 'T1', createdAt: START + 5 });
      expect((await postgres.tables.counts()).predictions).toBe((await sqlite.tables.counts()).predictions + 3);
    });
  });
});
