// Applies migrations/postgres in order under a database-wide advisory lock, so replicas starting together
// against an empty database migrate it exactly once; refuses an edited migration or a newer database first.
import { checkApplied, readMigrations, type AppliedRow } from '../migrations.js';
import { Sql, type PgDb } from './pool.js';

/** Our advisory-lock key ("rcmg"); advisory locks are per database, so other databases never wait on it. */
export const MIGRATION_LOCK = 0x72636d67;

const readApplied = (sql: Sql): Promise<AppliedRow[]> => sql.rows<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');

/**
 * Applies pending migrations, each in its own transaction, while holding the lock on one session: a
 * replica starting at the same moment waits for it, then reads what is applied and finds nothing left
 * to do. Returns the names applied now.
 */
export async function migrate(db: PgDb, dir: string, now: number = Date.now()): Promise<string[]> {
  const files = readMigrations(dir);
  const client = await db.connect();
  const session = new Sql(client, db.target);
  try {
    await session.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await session.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const applied = await readApplied(session);
    checkApplied(applied, files);
    const done = new Set(applied.map((r) => r.version));
    const names: string[] = [];
    for (const m of files) {
      if (done.has(m.version)) continue;
      await session.query('BEGIN');
      // No parameters: the simple protocol, which runs a file of several statements.
      await session.query(m.sql);
      await session.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [m.version, m.name, m.checksum, now]);
      await session.query('COMMIT');
      names.push(m.name);
    }
    await session.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    client.release();
    return names;
  } catch (error) {
    // Closing the session is the one sure way out of a failure: it rolls back the open migration and
    // drops the lock, whatever state the connection is in.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

/** Names of the migrations in `dir` not yet applied (all of them on an empty database). */
export async function pendingMigrations(db: Sql, dir: string): Promise<string[]> {
  const present = await db.one<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  const applied = present?.present ? new Set((await db.rows<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version)) : new Set<number>();
  return readMigrations(dir).filter((m) => !applied.has(m.version)).map((m) => m.name);
}
