// SQLite's 0016 re-keys rate_limits by the hour first: a database with counters keeps them, and they
// go on counting toward the limit.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/paths.js';
import { migrate, openDatabase } from '../../src/store/sqlite/database.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { migrationsBefore } from '../helpers/migrations.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 6, 10, 0, 0);

afterAll(() => removeTempDirs());

describe('SQLite migration 0016: rate limits keyed by the hour', () => {
  it('keeps every counter, which still counts toward the limit, and leaves no second index behind', async () => {
    const path = join(makeTempDir(), 'rc.db');
    const old = openDatabase(path);
    migrate(old, migrationsBefore(SQLITE_MIGRATIONS, '0016_rate_limits_by_window'));
    old.prepare('INSERT INTO rate_limits (workspace, user_id, window_start, hits) VALUES (?, ?, ?, ?)').run('T1', 'U1', T0, 3);
    old.prepare('INSERT INTO rate_limits (workspace, user_id, window_start, hits) VALUES (?, ?, ?, ?)').run('T2', 'U1', T0 - HOUR, 7);
    old.close();

    const store = openSqliteStore(path);
    try {
      expect((await store.tables.read('rate_limits', 0, 10)).map((r) => [r.workspace, r.user_id, r.window_start, r.hits])).toEqual([
        ['T2', 'U1', T0 - HOUR, 7],
        ['T1', 'U1', T0, 3],
      ]);
      // Three hits this hour already: a limit of 5 allows two more.
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await store.rateLimits.hit('T1', 'U1', T0 + 60_000, 5));
      expect(results).toEqual([true, true, false]);
      const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rate_limits'").all() as Array<{ name: string }>;
      // A WITHOUT ROWID table is its own primary-key index: nothing else to write per hit.
      expect(indexes.map((i) => i.name)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
