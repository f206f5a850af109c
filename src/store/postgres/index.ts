// The PostgreSQL store: a connection pool shared by one repository per aggregate, migrated on open
// under a lock. For several replicas behind a load balancer, where one SQLite file cannot be shared.
import type pg from 'pg';
import { POSTGRES_MIGRATIONS } from '../../paths.js';
import type { Store } from '../types.js';
import { PostgresConsultations } from './consultations.js';
import { PostgresConversations } from './conversations.js';
import { PostgresEvents } from './events.js';
import { PostgresGaps } from './gaps.js';
import { PostgresInstallations } from './installations.js';
import { PostgresJobs } from './jobs.js';
import { migrate, pendingMigrations } from './migrate.js';
import { createPool } from './pool.js';
import { PostgresRateLimits } from './rate-limits.js';
import { PostgresSettings } from './settings.js';
import { PostgresTables, PostgresWorkspaces } from './tables.js';

export interface PostgresStore extends Store {
  readonly engine: 'postgres';
  /** The pool itself, for tests and tools that need SQL of their own. */
  readonly pool: pg.Pool;
}

/**
 * Connects (failing fast, with DATABASE_UNAVAILABLE naming host and database, when the server cannot be
 * reached) and applies pending migrations unless `migrate: false`.
 */
export async function openPostgresStore(url: string, options: { migrate?: boolean; now?: number } = {}): Promise<PostgresStore> {
  const db = createPool(url);
  try {
    await db.query('SELECT 1');
    if (options.migrate !== false) await migrate(db, POSTGRES_MIGRATIONS, options.now);
  } catch (error) {
    await db.pool.end().catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    engine: 'postgres',
    pool: db.pool,
    consultations: new PostgresConsultations(db),
    conversations: new PostgresConversations(db),
    events: new PostgresEvents(db),
    jobs: new PostgresJobs(db),
    settings: new PostgresSettings(db),
    installations: new PostgresInstallations(db),
    rateLimits: new PostgresRateLimits(db),
    gaps: new PostgresGaps(db),
    workspaces: new PostgresWorkspaces(db),
    tables: new PostgresTables(db),
    check: async () => {
      await db.query('SELECT 1');
      return { pendingMigrations: (await pendingMigrations(db, POSTGRES_MIGRATIONS)).length };
    },
    // Ending a pool twice is an error in node-postgres; closing a store twice is not.
    close: () => (closing ??= db.pool.end()),
  };
}
