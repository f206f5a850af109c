// Missing knowledge on PostgreSQL: one counter row per workspace and term, bumped by one upsert per question.
import type { DetectionGap, GapRepo } from '../types.js';
import type { PgDb } from './pool.js';

export class PostgresGaps implements GapRepo {
  constructor(private readonly db: PgDb) {}

  async record(workspace: string, terms: readonly string[], now: number): Promise<void> {
    const unique = [...new Set(terms)];
    if (unique.length === 0) return;
    await this.db.run(
      `INSERT INTO detection_gaps (workspace, term, asks, last_seen) SELECT $1, t, 1, $3 FROM unnest($2::text[]) AS t
       ON CONFLICT (workspace, term) DO UPDATE SET asks = detection_gaps.asks + 1, last_seen = excluded.last_seen`,
      [workspace, unique, now],
    );
  }

  async top(options: { workspace?: string; limit: number }): Promise<DetectionGap[]> {
    return options.workspace
      ? this.db.rows<DetectionGap>('SELECT term, asks, last_seen AS "lastSeen" FROM detection_gaps WHERE workspace = $1 ORDER BY asks DESC, term LIMIT $2', [options.workspace, options.limit])
      : this.db.rows<DetectionGap>('SELECT term, SUM(asks) AS asks, MAX(last_seen) AS "lastSeen" FROM detection_gaps GROUP BY term ORDER BY asks DESC, term LIMIT $1', [options.limit]);
  }
}
