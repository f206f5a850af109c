// Slack installations on PostgreSQL, sealed (encrypted) before they reach the store; replaceIf is a
// compare-and-set on the version, so two replicas refreshing one token cannot overwrite each other.
import { toInstallationRecord as toRecord, type RawInstallation } from '../rows.js';
import type { InstallationRecord, InstallationRepo } from '../types.js';
import type { PgDb } from './pool.js';

export class PostgresInstallations implements InstallationRepo {
  constructor(private readonly db: PgDb) {}

  /** Inserts or replaces (a re-install); the version moves on. */
  async put(r: Omit<InstallationRecord, 'version'>): Promise<void> {
    await this.db.run(
      `INSERT INTO installations (install_key, team_id, enterprise_id, enterprise_install, sealed, expires_at, version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 1, $7)
       ON CONFLICT (install_key) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id,
         enterprise_install = excluded.enterprise_install, sealed = excluded.sealed, expires_at = excluded.expires_at,
         version = installations.version + 1, updated_at = excluded.updated_at`,
      [r.key, r.teamId, r.enterpriseId, r.enterpriseInstall ? 1 : 0, r.sealed, r.expiresAt, r.updatedAt],
    );
  }

  async get(key: string): Promise<InstallationRecord | undefined> {
    const r = await this.db.one<RawInstallation>('SELECT * FROM installations WHERE install_key = $1', [key]);
    return r && toRecord(r);
  }

  /** Compare-and-set: the UPDATE re-checks the version on the row it locks, so only one of two racers matches. */
  async replaceIf(key: string, version: number, sealed: string, expiresAt: number | null, now: number): Promise<boolean> {
    const changed = await this.db.run(
      'UPDATE installations SET sealed = $1, expires_at = $2, version = version + 1, updated_at = $3 WHERE install_key = $4 AND version = $5',
      [sealed, expiresAt, now, key, version],
    );
    return changed === 1;
  }

  async delete(key: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM installations WHERE install_key = $1', [key])) === 1;
  }

  /** Every record, for re-encrypting under a new key. */
  async list(): Promise<InstallationRecord[]> {
    return (await this.db.rows<RawInstallation>('SELECT * FROM installations ORDER BY install_key')).map(toRecord);
  }
}
