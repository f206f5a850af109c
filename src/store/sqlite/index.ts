// The SQLite store: one file, migrated on open, with one repository per aggregate. The embedded
// default: one process, no server to run.
import { SQLITE_MIGRATIONS } from '../../paths.js';
import type { Store } from '../types.js';
import { SqliteConsultations } from './consultations.js';
import { startCheckpointer } from './checkpointer.js';
import { SqliteConversations } from './conversations.js';
import { migrate, openDatabase, pendingMigrations, type Db } from './database.js';
import { SqliteEvents } from './events.js';
import { SqliteGaps } from './gaps.js';
import { SqliteInstallations } from './installations.js';
import { SqliteJobs } from './jobs.js';
import { SqliteRateLimits } from './rate-limits.js';
import { SqliteSettings } from './settings.js';
import { SqliteTables, SqliteWorkspaces } from './tables.js';

export interface SqliteStore extends Store {
  readonly engine: 'sqlite';
  /** The connection itself, for what only SQLite has (online backup) and for tests that read the file. */
  readonly db: Db;
  backup(file: string): Promise<void>;
}

export function openSqliteStore(path: string, options: { migrate?: boolean; now?: number; backgroundCheckpoints?: boolean } = {}): SqliteStore {
  const db = openDatabase(path);
  try {
    if (options.migrate !== false) migrate(db, SQLITE_MIGRATIONS, options.now);
  } catch (error) {
    db.close();
    throw error;
  }
  // A statement's undo pages (its sub-journal) spill to a temporary file past 64 KB: in a big database a
  // submission's INSERT with its full-text trigger touches more pages than that, so each one created, wrote
  // and read back a file (bench:scale). Held in memory they cost the statement's own pages, briefly. Set
  // after the migrations, whose index builds sort whole tables and may keep spilling to disk.
  db.pragma('temp_store = MEMORY');
  const checkpointer = options.backgroundCheckpoints && path !== ':memory:' ? startCheckpointer(db, path) : undefined;
  return {
    engine: 'sqlite',
    db,
    consultations: new SqliteConsultations(db),
    conversations: new SqliteConversations(db),
    events: new SqliteEvents(db),
    jobs: new SqliteJobs(db),
    settings: new SqliteSettings(db),
    installations: new SqliteInstallations(db),
    rateLimits: new SqliteRateLimits(db),
    gaps: new SqliteGaps(db),
    workspaces: new SqliteWorkspaces(db),
    tables: new SqliteTables(db),
    check: async () => {
      db.prepare('SELECT 1').get();
      return { pendingMigrations: pendingMigrations(db, SQLITE_MIGRATIONS).length };
    },
    backup: async (file) => {
      await db.backup(file);
    },
    close: async () => {
      await checkpointer?.stop();
      if (db.open) db.close();
    },
  };
}
