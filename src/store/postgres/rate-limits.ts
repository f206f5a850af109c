// Per-user consultation counters on PostgreSQL, shared by every replica: read, decide and count happen
// in one transaction under a per-user lock, so concurrent hits from several pools never overshoot.
import { createHash } from 'node:crypto';
import { slidingCount, WINDOW_MS, windowStart } from '../rate-window.js';
import type { RateLimitRepo } from '../types.js';
import { withTransaction, type PgDb } from './pool.js';

/**
 * The first half of the two-part advisory-lock key ("rcrl"). The two-integer form is a key space of
 * its own, apart from the single-bigint migration lock; a hash collision between users only makes
 * them wait for each other a moment, it never mixes their counts.
 */
const RATE_LOCK_CLASS = 0x7263726c;

const userLockKey = (workspace: string, userId: string): number => createHash('sha256').update(`${workspace}\u0000${userId}`).digest().readInt32BE(0);

export class PostgresRateLimits implements RateLimitRepo {
  constructor(private readonly db: PgDb) {}

  /**
   * A row lock cannot guard a counter row that does not exist yet (the first hit of the hour), so the
   * transaction takes a lock on the user instead, held until it commits.
   */
  async hit(workspace: string, userId: string, now: number, limit: number): Promise<boolean> {
    const window = windowStart(now);
    return withTransaction(this.db, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1, $2)', [RATE_LOCK_CLASS, userLockKey(workspace, userId)]);
      const rows = await tx.rows<{ window_start: number; hits: number }>(
        'SELECT window_start, hits FROM rate_limits WHERE workspace = $1 AND user_id = $2 AND window_start >= $3',
        [workspace, userId, window - WINDOW_MS],
      );
      const current = rows.find((r) => r.window_start === window)?.hits ?? 0;
      const previous = rows.find((r) => r.window_start === window - WINDOW_MS)?.hits ?? 0;
      if (slidingCount(current + 1, previous, now) > limit) return false;
      await tx.run(
        `INSERT INTO rate_limits (workspace, user_id, window_start, hits) VALUES ($1, $2, $3, 1)
         ON CONFLICT (workspace, user_id, window_start) DO UPDATE SET hits = rate_limits.hits + 1`,
        [workspace, userId, window],
      );
      return true;
    });
  }

  /** Drops counters older than the given time (a counter still weighs for an hour after its window). */
  async prune(olderThan: number): Promise<number> {
    return this.db.run('DELETE FROM rate_limits WHERE window_start < $1', [olderThan - WINDOW_MS]);
  }
}
