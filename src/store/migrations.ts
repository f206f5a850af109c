// Migrations as both engines read them: forward-only NNNN_name.sql files, checksummed, and the two
// refusals (an edited migration, a database written by newer code) that protect a database.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MigrationError } from '../errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/** The refusals both engines share: a migration edited after it ran, a database from newer code. */
export function checkApplied(applied: AppliedRow[], files: Migration[]): void {
  const byVersion = new Map(files.map((m) => [m.version, m]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) {
      throw new MigrationError(
        'DATABASE_NEWER',
        `The database has migration ${row.name}, which this version of reality-check does not know: it was written by newer code. Upgrade reality-check or use a backup taken before the upgrade.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        'MIGRATION_EDITED',
        `Migration ${row.name} was edited after it was applied (checksum differs). Restore the original file and add a new migration instead.`,
      );
    }
  }
}

