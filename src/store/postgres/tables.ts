// Row-level access to every table on PostgreSQL, for `db copy`, purge and row counts: batched
// multi-row inserts, and identity sequences moved past copied ids so new rows do not collide with them.
import { ID_TABLES, ORDER, WORKSPACE_TABLES, workspaceRows } from '../table-keys.js';
import { TABLES, type RawRow, type TableAccess, type TableName, type WorkspaceRepo } from '../types.js';
import { valuesList, withTransaction, type PgDb } from './pool.js';

/** PostgreSQL takes at most 65,535 parameters a statement; stay under it and keep statements modest. */
const MAX_PARAMETERS = 60_000;
const MAX_ROWS_PER_INSERT = 1_000;

/** Table and column names are put into SQL text, so only known tables and plain names get there. */
function checkedTable(table: TableName): TableName {
  if (!(TABLES as readonly string[]).includes(table)) throw new Error(`Unknown table: ${String(table)}`);
  return table;
}

function checkedColumn(column: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new Error(`Not a column name: ${JSON.stringify(column)}`);
  return column;
}

export class PostgresTables implements TableAccess {
  constructor(private readonly db: PgDb) {}

  /** Every count in one statement: one round trip, and one snapshot, so the numbers agree with each other. */
  async counts(): Promise<Record<TableName, number>> {
    const row = await this.db.one<Record<TableName, number>>(`SELECT ${TABLES.map((t) => `(SELECT COUNT(*) FROM ${t}) AS ${t}`).join(', ')}`);
    const out = {} as Record<TableName, number>;
    for (const t of TABLES) out[t] = row?.[t] ?? 0;
    return out;
  }

  async read(table: TableName, offset: number, limit: number): Promise<RawRow[]> {
    return this.db.rows<RawRow>(`SELECT * FROM ${checkedTable(table)} ORDER BY ${ORDER[table]} LIMIT $1 OFFSET $2`, [limit, offset]);
  }

  /** Inserts rows as they are (ids included), in one transaction; the caller keeps parents before children. */
  async write(table: TableName, rows: RawRow[]): Promise<void> {
    if (rows.length === 0) return;
    const name = checkedTable(table);
    const columns = Object.keys(rows[0]!).map(checkedColumn);
    const perInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / columns.length)));
    await withTransaction(this.db, async (tx) => {
      for (let start = 0; start < rows.length; start += perInsert) {
        const batch = rows.slice(start, start + perInsert);
        await tx.run(
          `INSERT INTO ${name} (${columns.join(', ')}) VALUES ${valuesList(batch.length, columns.length)}`,
          batch.flatMap((row) => columns.map((c) => row[c] ?? null)),
        );
      }
      // Ids written explicitly do not advance the identity's sequence: move it to the largest id, or the
      // next ordinary insert would be handed an id a copied row already has.
      if ((ID_TABLES as readonly string[]).includes(name)) {
        await tx.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), MAX(id)) FROM ${name}`, [name]);
      }
    });
  }
}

export class PostgresWorkspaces implements WorkspaceRepo {
  constructor(private readonly db: PgDb) {}

  /** Deletes everything a workspace has in one transaction: all of it goes, or nothing does. */
  async purge(workspace: string): Promise<Partial<Record<TableName, number>>> {
    return withTransaction(this.db, async (tx) => {
      const out: Partial<Record<TableName, number>> = {};
      for (const t of WORKSPACE_TABLES) out[t] = await tx.run(`DELETE FROM ${t} WHERE ${workspaceRows(t, '$1', 'postgres')}`, [workspace]);
      out.installations = await tx.run('DELETE FROM installations WHERE install_key = $1 OR team_id = $1', [workspace]);
      return out;
    });
  }
}
