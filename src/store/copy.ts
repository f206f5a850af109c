// Moves a whole database from one store to another (SQLite → PostgreSQL) table by table, parents
// first, in pages, so the history survives the move up; the target must be empty.
import { InputError } from '../errors.js';
import { TABLES, type Store, type TableName } from './types.js';

const PAGE = 2_000;

export type CopyCounts = Record<TableName, { source: number; target: number }>;

export async function copyStore(source: Store, target: Store): Promise<CopyCounts> {
  const before = await target.tables.counts();
  const nonEmpty = TABLES.filter((t) => before[t] > 0);
  if (nonEmpty.length > 0) {
    throw new InputError(`The target database is not empty (${nonEmpty.map((t) => `${t}: ${before[t]}`).join(', ')}). Copy into a new, empty database.`);
  }
  for (const table of TABLES) {
    for (let offset = 0; ; offset += PAGE) {
      const rows = await source.tables.read(table, offset, PAGE);
      if (rows.length === 0) break;
      await target.tables.write(table, rows);
      if (rows.length < PAGE) break;
    }
  }
  const [from, to] = await Promise.all([source.tables.counts(), target.tables.counts()]);
  return Object.fromEntries(TABLES.map((t) => [t, { source: from[t], target: to[t] }])) as CopyCounts;
}
