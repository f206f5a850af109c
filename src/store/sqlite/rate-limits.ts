// Per-user consultation counters in the database, so the limit holds across replicas: one row per user
// and hour, and the sliding hour is estimated from this hour's and the last hour's counters. The table is
// keyed by the hour first (migration 0016): a hit writes one page, and a prune deletes from the front.
import { previousWeight, WINDOW_MS, windowStart } from '../rate-window.js';
import type { RateLimitRepo } from '../types.js';
import { prep, type Db } from './database.js';

/**
 * A hit in one statement, as on PostgreSQL: (hits this hour + 1) + hits last hour × the share of last
 * hour still inside the window, counted only if within the limit; no row back means refused, and a
 * refused hit is not counted. A statement is atomic on SQLite, so it needs no transaction of its own: it
 * was one of four statements (BEGIN IMMEDIATE, a read, the upsert, COMMIT), ~70 against ~35–50 µs a hit,
 * paid by every slash command (bench:slack).
 */
const HIT = `
  WITH previous AS (SELECT coalesce(max(hits), 0) AS hits FROM rate_limits WHERE workspace = @workspace AND user_id = @user AND window_start = @previous)
  INSERT INTO rate_limits (workspace, user_id, window_start, hits)
  SELECT @workspace, @user, @window, 1 FROM previous WHERE 1 + previous.hits * @weight <= @limit
  ON CONFLICT (window_start, workspace, user_id) DO UPDATE SET hits = rate_limits.hits + 1
    WHERE (rate_limits.hits + 1) + (SELECT hits FROM previous) * @weight <= @limit
  RETURNING hits`;

export class SqliteRateLimits implements RateLimitRepo {
  constructor(private readonly db: Db) {}

  async hit(workspace: string, userId: string, now: number, limit: number): Promise<boolean> {
    const window = windowStart(now);
    return prep(this.db, HIT).get({ workspace, user: userId, window, previous: window - WINDOW_MS, weight: previousWeight(now), limit }) !== undefined;
  }

  async prune(olderThan: number, limit?: number): Promise<number> {
    if (limit === undefined) return prep(this.db, 'DELETE FROM rate_limits WHERE window_start < ?').run(olderThan - WINDOW_MS).changes;
    return prep(this.db, `DELETE FROM rate_limits WHERE (window_start, workspace, user_id) IN (
      SELECT window_start, workspace, user_id FROM rate_limits WHERE window_start < ? LIMIT ?)`).run(olderThan - WINDOW_MS, limit).changes;
  }
}
