// Dedupe of retried deliveries: the first sighting of a key wins, every later one is a repeat.
import type { EventRepo } from '../types.js';
import { prep, type Db } from './database.js';

export class SqliteEvents implements EventRepo {
  constructor(private readonly db: Db) {}

  /** True the first time a key is seen in a workspace, false for every redelivery. */
  async markProcessed(workspace: string, key: string, now: number): Promise<boolean> {
    const result = prep(this.db, 'INSERT INTO processed_events (workspace, event_key, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
      .run(workspace, key, now);
    return result.changes === 1;
  }

  /** Slack retries for about an hour at most; a day of keys is plenty. */
  async prune(olderThan: number, limit?: number): Promise<number> {
    if (limit === undefined) return prep(this.db, 'DELETE FROM processed_events WHERE created_at < ?').run(olderThan).changes;
    return prep(this.db, `DELETE FROM processed_events WHERE (workspace, event_key) IN (
      SELECT workspace, event_key FROM processed_events WHERE created_at < ? LIMIT ?)`).run(olderThan, limit).changes;
  }
}
