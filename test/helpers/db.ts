// Reads a test's database file directly, read-only, closing it again: how tests check what was stored.
import Database from 'better-sqlite3';

export function readDatabase<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
