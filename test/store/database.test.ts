// The SQLite file: migrations are applied once, in order, recorded with their checksum, and refused
// when a recorded one was edited or the database is ahead of the code. Uses real files in temp dirs.
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, MigrationError } from '../../src/errors.js';
import { MIGRATIONS_DIR } from '../../src/paths.js';
import { migrate, openDatabase, pendingMigrations, readMigrations, type Db } from '../../src/store/database.js';
import { openStore } from '../../src/store/index.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const open: Db[] = [];

function openAt(path: string): Db {
  const db = openDatabase(path);
  open.push(db);
  return db;
}

function copyMigrations(): string {
  const dir = join(makeTempDir(), 'migrations');
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

/** Every migration the package ships, in order (0001 first; later ones may be added). */
const SHIPPED = readMigrations(MIGRATIONS_DIR);
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

afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
  removeTempDirs();
});

describe('openDatabase', () => {
  it('creates missing parent directories and sets WAL, foreign keys and a busy timeout', () => {
    const path = join(makeTempDir(), 'nested', 'deeper', 'rc.db');
    const db = openAt(path);
    expect(existsSync(path)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
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

describe('migrate', () => {
  it('applies 0001 to a new file and records its name, checksum and time', () => {
    const db = openAt(join(makeTempDir(), 'rc.db'));
    expect(SHIPPED_NAMES[0]).toBe('0001_initial');
    expect(pendingMigrations(db, MIGRATIONS_DIR)).toEqual(SHIPPED_NAMES);

    const applied = migrate(db, MIGRATIONS_DIR, NOW);

    expect(applied).toEqual(SHIPPED_NAMES);
    const expectedChecksum = createHash('sha256').update(readFileSync(join(MIGRATIONS_DIR, '0001_initial.sql'), 'utf8')).digest('hex');
    const rows = db.prepare('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version').all();
    expect(rows[0]).toEqual({ version: 1, name: '0001_initial', checksum: expectedChecksum, applied_at: NOW });
    expect(rows).toEqual(SHIPPED.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum, applied_at: NOW })));
    expect(tables(db)).toEqual(
      expect.arrayContaining(['consultations', 'predictions', 'estimates', 'outcomes', 'processed_events', 'scheduled_jobs', 'workspace_settings']),
    );
    expect(pendingMigrations(db, MIGRATIONS_DIR)).toEqual([]);
  });

  it('applies nothing the second time and leaves the record untouched', () => {
    const db = openAt(join(makeTempDir(), 'rc.db'));
    migrate(db, MIGRATIONS_DIR, NOW);

    expect(migrate(db, MIGRATIONS_DIR, NOW + 60_000)).toEqual([]);
    expect(db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(
      SHIPPED.map((m) => ({ version: m.version, applied_at: NOW })),
    );
  });

  it('keeps data when the file is closed and reopened', () => {
    const path = join(makeTempDir(), 'rc.db');
    const first = openAt(path);
    migrate(first, MIGRATIONS_DIR, NOW);
    first.prepare('INSERT INTO workspace_settings (workspace, digest_channel, updated_at) VALUES (?, ?, ?)').run('T1', 'C42', NOW);
    first.close();

    const second = openAt(path);
    expect(migrate(second, MIGRATIONS_DIR, NOW + 1)).toEqual([]);
    expect(second.prepare('SELECT workspace, digest_channel, updated_at FROM workspace_settings').all()).toEqual([
      { workspace: 'T1', digest_channel: 'C42', updated_at: NOW },
    ]);
  });

  it('enforces foreign keys in the migrated schema', () => {
    const db = openAt(join(makeTempDir(), 'rc.db'));
    migrate(db, MIGRATIONS_DIR, NOW);
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
    migrate(db, MIGRATIONS_DIR, NOW);
    db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(9999, '9999_from_the_future', 'abc', NOW);

    const error = catchError(() => migrate(db, MIGRATIONS_DIR, NOW));

    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('DATABASE_NEWER');
    expect((error as MigrationError).message).toContain('9999_from_the_future');
  });
});

describe('openStore', () => {
  it('migrates a new file on open and reuses it on reopen', () => {
    const path = join(makeTempDir(), 'store', 'rc.db');
    const store = openStore(path, { now: NOW });
    expect(store.db.prepare('SELECT name, applied_at FROM schema_migrations ORDER BY version').all()).toEqual(
      SHIPPED_NAMES.map((name) => ({ name, applied_at: NOW })),
    );
    store.close();
    expect(store.db.open).toBe(false);
    store.close(); // closing twice is harmless

    const again = openStore(path, { now: NOW + 5 });
    try {
      expect(again.db.prepare('SELECT DISTINCT applied_at FROM schema_migrations').all()).toEqual([{ applied_at: NOW }]);
    } finally {
      again.close();
    }
  });

  it('passes a migration refusal through to the caller', () => {
    const path = join(makeTempDir(), 'rc.db');
    const db = openAt(path);
    migrate(db, MIGRATIONS_DIR, NOW);
    db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, ?, ?, ?)').run('9999_newer', 'x', NOW);
    db.close();

    const error = catchError(() => openStore(path));
    expect((error as AppError).code).toBe('DATABASE_NEWER');
  });
});
