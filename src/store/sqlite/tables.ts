// Row-level access to every table, for `db copy` (SQLite → PostgreSQL), purge and row counts.
import { TABLES, type RawRow, type TableAccess, type TableName, type WorkspaceRepo } from '../types.js';
import { prep, type Db } from './database.js';

/** Primary-key order of each table, so a copy reads it in stable pages. */
export const ORDER: Record<TableName, string> = {
  consultations: 'id',
  predictions: 'id',
  estimates: 'id',
  outcomes: 'id',
  scheduled_jobs: 'id',
  workspace_settings: 'workspace',
  conversations: 'workspace, platform, conversation_key',
  conversation_references: 'workspace, platform, ref_key',
  processed_events: 'workspace, event_key',
  installations: 'install_key',
  rate_limits: 'workspace, user_id, window_start',
};

export class SqliteTables implements TableAccess {
  constructor(private readonly db: Db) {}

  async counts(): Promise<Record<TableName, number>> {
    const out = {} as Record<TableName, number>;
    for (const t of TABLES) out[t] = (prep(this.db, `SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    return out;
  }

  async read(table: TableName, offset: number, limit: number): Promise<RawRow[]> {
    return prep(this.db, `SELECT * FROM ${table} ORDER BY ${ORDER[table]} LIMIT ? OFFSET ?`).all(limit, offset) as RawRow[];
  }

  async write(table: TableName, rows: RawRow[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    const insert = prep(this.db, `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
    this.db.transaction(() => {
      for (const row of rows) insert.run(...columns.map((c) => row[c] ?? null));
    })();
  }
}

/** Tables whose rows belong to a workspace, children before parents so nothing dangles midway. */
const WORKSPACE_TABLES = ['outcomes', 'estimates', 'predictions', 'consultations', 'scheduled_jobs', 'workspace_settings', 'conversations', 'conversation_references', 'processed_events', 'rate_limits'] as const;

export class SqliteWorkspaces implements WorkspaceRepo {
  constructor(private readonly db: Db) {}

  async purge(workspace: string): Promise<Partial<Record<TableName, number>>> {
    const out: Partial<Record<TableName, number>> = {};
    this.db.transaction(() => {
      for (const t of WORKSPACE_TABLES) out[t] = prep(this.db, `DELETE FROM ${t} WHERE workspace = ?`).run(workspace).changes;
      out.installations = prep(this.db, 'DELETE FROM installations WHERE install_key = ? OR team_id = ?').run(workspace, workspace).changes;
    })();
    return out;
  }
}
