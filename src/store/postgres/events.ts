// Dedupe of retried deliveries on PostgreSQL: the insert that wins the primary key is the first
// sighting, so two replicas receiving the same retry agree on which one handles it.
import type { EventRepo } from '../types.js';
import type { PgDb } from './pool.js';

export class PostgresEvents implements EventRepo {
  constructor(private readonly db: PgDb) {}

  /** True the first time a key is seen in a workspace, false for every redelivery. */
  async markProcessed(workspace: string, key: string, now: number): Promise<boolean> {
    const inserted = await this.db.run('INSERT INTO processed_events (workspace, event_key, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [workspace, key, now]);
    return inserted === 1;
  }

  /** Slack retries for about an hour at most; a day of keys is plenty. */
  async prune(olderThan: number, limit?: number): Promise<number> {
    if (limit === undefined) return this.db.run('DELETE FROM processed_events WHERE created_at < $1', [olderThan]);
    // Ordered by the indexed column, so the LIMIT walks the index: by its statistics alone the planner
    // may expect many old rows and read the table whole for a batch that is empty (bench:scale, 5 ms).
    return this.db.run('DELETE FROM processed_events WHERE ctid = ANY (ARRAY(SELECT ctid FROM processed_events WHERE created_at < $1 ORDER BY created_at LIMIT $2))', [olderThan, limit]);
  }
}
