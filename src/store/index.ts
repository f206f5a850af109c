// Opens the store the configuration names: PostgreSQL for `postgres://` URLs (several replicas), else
// the SQLite file (the embedded default). Callers see only the Store interface.
import type { Store } from './types.js';

export type { Store } from './types.js';
export * from './types.js';

export interface StoreLocation {
  /** postgres://… ; when set, PostgreSQL. */
  url?: string | undefined;
  /** The SQLite file otherwise. */
  path: string;
}

export interface OpenOptions {
  migrate?: boolean;
  now?: number;
  /** SQLite: checkpoint the write-ahead log from a thread of its own (the server); see sqlite/checkpointer. */
  backgroundCheckpoints?: boolean;
}

export async function openStore(where: StoreLocation, options: OpenOptions = {}): Promise<Store> {
  if (where.url) {
    // Loaded only when asked for: the SQLite default never pays for the PostgreSQL driver.
    const { openPostgresStore } = await import('./postgres/index.js');
    return openPostgresStore(where.url, options);
  }
  const { openSqliteStore } = await import('./sqlite/index.js');
  return openSqliteStore(where.path, options);
}
