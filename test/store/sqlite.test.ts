// The SQLite store: the Store contract against a fresh file per test, then what only SQLite has — the
// file's pragmas, migrations applied once and recorded with their checksum, the two refusals (an
// edited migration, a database from newer code), a failing migration rolled back, and reopening a file.
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, MigrationError } from '../../src/errors.js';
import { SQLITE_MIGRATIONS } from '../../src/paths.js';
import { readMigrations } from '../../src/store/migrations.js';
import { migrate, openDatabase, pendingMigrations, type Db } from '../../src/store/sqlite/database.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';
import { describeStoreContract } from './contract.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

describeStoreContract('SQLite', {
  open: async () => openSqliteStore(join(makeTempDir(), 'data', 'rc.db'), { now: NOW }),
  cleanup: async () => removeTempDirs(),
});

const open: Array<Db | SqliteStore> = [];

function openAt(path: string): Db {
  const db = openDatabase(path);
  open.push(db);
  return db;
}

function copyMigrations(): string {
  const dir = join(makeTempDir(), 'migrations');
  cpSync(SQLITE_MIGRATIONS, dir, { recursive: true });
  return dir;
}

/** Every migration the package ships for SQLite, in order (0001 first; later ones may be added). */
const SHIPPED = readMigrations(SQLITE_MIGRATIONS);
const SHIPPED_NAMES = SHIPPED.map((m) => m.name);

function tables(db: Db): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

afterEach(async () => {
  for (const item of open.splice(0)) {
    if ('engine' in item) await item.close();
    else if (item.open) item.close();
  }
  removeTempDirs();
});

describe('SQLite: openDatabase', () => {
  it('creates missing parent directories and sets WAL, foreign keys and a busy timeout', () => {
    const path = join(makeTempDir(), 'nested', 'deeper', 'rc.db');
    const db = openAt(path);
    expect(existsSync(path)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('reports a path it cannot open as an AppError, not a raw driver error', () => {
    const dir = makeTempDir();
    // A directory where the database file should be: SQLite cannot open it.
    const error = catchError(() => openAt(dir));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('INPUT_INVALID');
    expect((error as AppError).message).toContain(dir);
  });
});

describe('SQLite: migrate', () => {
  it('applies every shipped migration to a new file and records name, checksum and time', () => {
    const db = openAt(join(makeTempDir(), 'rc.db'));
    expect(SHIPPED_NAMES[0]).toBe('0001_initial');
    expect(pendingMigrations(db, SQLITE_MIGRATIONS)).toEqual(SHIPPED_NAMES);

    expect(migrate(db, SQLITE_MIGRATIONS, NOW)).toEqual(SHIPPED_NAMES);

    const expectedChecksum = createHash('sha256').update(readFileSync(join(SQLITE_MIGRATIONS, '0001_initial.sql'), 'utf8')).digest('hex');
    const rows = db.prepare('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version').all();
    expect(rows[0]).toEqual({ version: 1, name: '0001_initial', checksum: expectedChecksum, applied_at: NOW });
    expect(rows).toEqual(SHIPPED.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum, applied_at: NOW })));
    expect(tables(db)).toEqual(expect.arrayContaining(['consultations', 'predictions', 'estimates', 'outcomes', 'processed_events', 'scheduled_jobs', 'workspace_settings', 'installations', 'rate_limits']));
    expect(pendingMigrations(db, SQLITE_MIGRATIONS)).toEqual([]);
  });

  it('applies nothing the second time and leaves the record untouched', () => {
    const db = openAt(join(makeTempDir(), 'rc.db'));
    migrate(db, SQLITE_MIGRATIONS, NOW);
    expect(migrate(db, SQLITE_MIGRATIONS, NOW + 60_000)).toEqual([]);
    expect(db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(SHIPPED.map((m) => ({ version: m.version, applied_at: NOW })));
  });

  it('keeps data when the file is closed and reopened', () => {
    const path = join(makeTempDir(), 'rc.db');
    const first = openAt(path);
    migrate(first, SQLITE_MIGRATIONS, NOW);
    first.prepare('INSERT INTO workspace_settings (workspace, digest_channel, updated_at) VALUES (?, ?, ?)').run('T1', 'C42', NOW);
    first.close();

    const second = openAt(path);
    expect(migrate(second, SQLITE_MIGRATIONS, NOW + 1)).toEqual([]);
    expect(second.prepare('SELECT workspace, digest_channel, updated_at FROM workspace_settings').all()).toEqual([{ workspace: 'T1', digest_channel: 'C42', updated_at: NOW }]);
  });

  it('enforces foreign keys in the migrated schema', () => {
    const db = openAt(join(makeTempDir(), 'rc.db'));
    migrate(db, SQLITE_MIGRATIONS, NOW);
    expect(() =>
      db.prepare(
        `INSERT INTO predictions (consultation_id, workspace, topic, failure_mode, probability, model_probability, horizon_months, knowledge_version, created_at)
         VALUES ('no-such-consultation', 'T1', 'kubernetes', 'x', 0.5, 0.5, 6, 'v', 0)`,
      ).run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('applies only a newly added migration on the next run', () => {
    const dir = copyMigrations();
    const db = openAt(join(makeTempDir(), 'rc.db'));
    migrate(db, dir, NOW);
    writeFileSync(join(dir, '9000_add_notes.sql'), 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n');

    expect(migrate(db, dir, NOW + 1000)).toEqual(['9000_add_notes']);
    expect(tables(db)).toContain('notes');
    expect(db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual([
      ...SHIPPED.map((m) => ({ version: m.version, name: m.name, applied_at: NOW })),
      { version: 9000, name: '9000_add_notes', applied_at: NOW + 1000 },
    ]);
  });

  it('rolls a failing migration back whole and does not record it', () => {
    const dir = copyMigrations();
    const db = openAt(join(makeTempDir(), 'rc.db'));
    migrate(db, dir, NOW);
    writeFileSync(join(dir, '9001_broken.sql'), 'CREATE TABLE half_done (id INTEGER);\nINSERT INTO no_such_table VALUES (1);\n');

    expect(() => migrate(db, dir, NOW)).toThrow(/no_such_table/);
    expect(tables(db)).not.toContain('half_done');
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(SHIPPED.map((m) => ({ version: m.version })));
    expect(pendingMigrations(db, dir)).toEqual(['9001_broken']);
  });

  it('ignores files that are not named NNNN_name.sql', () => {
    const dir = copyMigrations();
    writeFileSync(join(dir, 'README.md'), '# not a migration');
    writeFileSync(join(dir, '2_bad_name.sql'), 'CREATE TABLE should_not_exist (id INTEGER);');
    expect(readMigrations(dir).map((m) => m.name)).toEqual(SHIPPED_NAMES);
    const db = openAt(join(makeTempDir(), 'rc.db'));
    expect(migrate(db, dir, NOW)).toEqual(SHIPPED_NAMES);
    expect(tables(db)).not.toContain('should_not_exist');
  });

  it('refuses a migration edited after it was applied, naming it', () => {
    const dir = copyMigrations();
    const db = openAt(join(makeTempDir(), 'rc.db'));
    migrate(db, dir, NOW);
    appendFileSync(join(dir, '0001_initial.sql'), '\n-- an innocent-looking edit\n');

    const error = catchError(() => migrate(db, dir, NOW));

    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('MIGRATION_EDITED');
    expect((error as MigrationError).message).toContain('0001_initial');
  });

  it('refuses a database that has a migration this code does not know', () => {
    const db = openAt(join(makeTempDir(), 'rc.db'));
    migrate(db, SQLITE_MIGRATIONS, NOW);
    db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(9999, '9999_from_the_future', 'abc', NOW);

    const error = catchError(() => migrate(db, SQLITE_MIGRATIONS, NOW));

    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('DATABASE_NEWER');
    expect((error as MigrationError).message).toContain('9999_from_the_future');
  });
});

describe('SQLite: openSqliteStore', () => {
  it('migrates a new file on open and reuses it on reopen; closing twice is harmless', async () => {
    const path = join(makeTempDir(), 'store', 'rc.db');
    const store = openSqliteStore(path, { now: NOW });
    expect(store.engine).toBe('sqlite');
    expect(store.db.prepare('SELECT name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(SHIPPED_NAMES.map((name) => ({ name, applied_at: NOW })));
    await store.settings.setDigest('T1', { channel: 'C1', weekday: 1, hour: 9, minute: 0, timeZone: 'UTC' }, NOW);
    await store.close();
    expect(store.db.open).toBe(false);
    await store.close();

    const again = openSqliteStore(path, { now: NOW + 5 });
    open.push(again);
    expect(again.db.prepare('SELECT DISTINCT applied_at FROM schema_migrations').all()).toEqual([{ applied_at: NOW }]);
    expect(await again.settings.getDigest('T1')).toMatchObject({ channel: 'C1' });
  });

  it('once migrated, keeps statement journals in memory and a 32 MB page cache (bench:scale)', () => {
    const store = openSqliteStore(join(makeTempDir(), 'rc.db'), { now: NOW });
    open.push(store);
    // 2 = MEMORY: a statement journalling past 64 KB would otherwise write and read back a temporary file.
    expect(store.db.pragma('temp_store', { simple: true })).toBe(2);
    expect(store.db.pragma('cache_size', { simple: true })).toBe(-32000);
  });

  it('passes a migration refusal through to the caller and leaves the file closed', () => {
    const path = join(makeTempDir(), 'rc.db');
    const db = openAt(path);
    migrate(db, SQLITE_MIGRATIONS, NOW);
    db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, ?, ?, ?)').run('9999_newer', 'x', NOW);
    db.close();

    const error = catchError(() => openSqliteStore(path));
    expect((error as AppError).code).toBe('DATABASE_NEWER');
  });

  it('check() counts the migrations a store opened without migrating still needs', async () => {
    const store = openSqliteStore(join(makeTempDir(), 'rc.db'), { migrate: false });
    open.push(store);
    expect(await store.check()).toEqual({ pendingMigrations: SHIPPED.length });
    migrate(store.db, SQLITE_MIGRATIONS, NOW);
    expect(await store.check()).toEqual({ pendingMigrations: 0 });
  });
});
