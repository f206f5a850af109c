// Row-level access to every table, for `db copy` (SQLite → PostgreSQL), purge and row counts.
import { ORDER, WORKSPACE_TABLES, workspaceRows } from '../table-keys.js';
import { TABLES, type RawRow, type TableAccess, type TableName, type WorkspaceRepo } from '../types.js';
import { prep, type Db } from './database.js';

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

export class SqliteWorkspaces implements WorkspaceRepo {
  constructor(private readonly db: Db) {}

  async purge(workspace: string): Promise<Partial<Record<TableName, number>>> {
    const out: Partial<Record<TableName, number>> = {};
    this.db.transaction(() => {
      for (const t of WORKSPACE_TABLES) out[t] = prep(this.db, `DELETE FROM ${t} WHERE ${workspaceRows(t, '?', 'sqlite')}`).run(workspace).changes;
      out.installations = prep(this.db, 'DELETE FROM installations WHERE install_key = ? OR team_id = ?').run(workspace, workspace).changes;
      // SQLite's own: the record's topic groups (their consultation_records went with the consultations).
      prep(this.db, 'DELETE FROM record_groups WHERE workspace = ?').run(workspace);
    })();
    return out;
  }
}
