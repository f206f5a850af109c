// Per-user consultation counters in the database, so the limit holds across replicas: one row per user
// and hour, and the sliding hour is estimated from this hour's and the last hour's counters.
import { slidingCount, WINDOW_MS, windowStart } from '../rate-window.js';
import type { RateLimitRepo } from '../types.js';
import { prep, type Db } from './database.js';

export class SqliteRateLimits implements RateLimitRepo {
  constructor(private readonly db: Db) {}

  async hit(workspace: string, userId: string, now: number, limit: number): Promise<boolean> {
    const window = windowStart(now);
    const db = this.db;
    return db.transaction(() => {
      const rows = prep(db, 'SELECT window_start, hits FROM rate_limits WHERE workspace = ? AND user_id = ? AND window_start >= ?')
        .all(workspace, userId, window - WINDOW_MS) as Array<{ window_start: number; hits: number }>;
      const current = rows.find((r) => r.window_start === window)?.hits ?? 0;
      const previous = rows.find((r) => r.window_start === window - WINDOW_MS)?.hits ?? 0;
      if (slidingCount(current + 1, previous, now) > limit) return false;
      prep(db, `INSERT INTO rate_limits (workspace, user_id, window_start, hits) VALUES (?, ?, ?, 1)
        ON CONFLICT (workspace, user_id, window_start) DO UPDATE SET hits = rate_limits.hits + 1`).run(workspace, userId, window);
      return true;
    }).immediate();
  }

  async prune(olderThan: number, limit?: number): Promise<number> {
    if (limit === undefined) return prep(this.db, 'DELETE FROM rate_limits WHERE window_start < ?').run(olderThan - WINDOW_MS).changes;
    return prep(this.db, `DELETE FROM rate_limits WHERE (workspace, user_id, window_start) IN (
      SELECT workspace, user_id, window_start FROM rate_limits WHERE window_start < ? LIMIT ?)`).run(olderThan - WINDOW_MS, limit).changes;
  }
}
