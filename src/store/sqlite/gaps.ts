// Missing knowledge on SQLite: one counter row per workspace and term, bumped by an upsert.
import type { DetectionGap, GapRepo } from '../types.js';
import { prep, type Db } from './database.js';

export class SqliteGaps implements GapRepo {
  constructor(private readonly db: Db) {}

  async record(workspace: string, terms: readonly string[], now: number): Promise<void> {
    const upsert = prep(this.db, `INSERT INTO detection_gaps (workspace, term, asks, last_seen) VALUES (?, ?, 1, ?)
      ON CONFLICT (workspace, term) DO UPDATE SET asks = detection_gaps.asks + 1, last_seen = excluded.last_seen`);
    this.db.transaction(() => {
      for (const term of new Set(terms)) upsert.run(workspace, term, now);
    })();
  }

  async top(options: { workspace?: string; limit: number }): Promise<DetectionGap[]> {
    return (options.workspace
      ? prep(this.db, 'SELECT term, asks, last_seen AS lastSeen FROM detection_gaps WHERE workspace = ? ORDER BY asks DESC, term LIMIT ?').all(options.workspace, options.limit)
      : prep(this.db, 'SELECT term, SUM(asks) AS asks, MAX(last_seen) AS lastSeen FROM detection_gaps GROUP BY term ORDER BY asks DESC, term LIMIT ?').all(options.limit)) as DetectionGap[];
  }
}
