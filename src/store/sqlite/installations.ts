// Slack installations, sealed (encrypted) before they reach the store; one row per workspace or org.
import { toInstallationRecord as toRecord, type RawInstallation } from '../rows.js';
import type { InstallationRecord, InstallationRepo } from '../types.js';
import { prep, type Db } from './database.js';

export class SqliteInstallations implements InstallationRepo {
  constructor(private readonly db: Db) {}

  async put(r: Omit<InstallationRecord, 'version'>): Promise<void> {
    prep(this.db,
      `INSERT INTO installations (install_key, team_id, enterprise_id, enterprise_install, sealed, expires_at, version, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (install_key) DO UPDATE SET team_id = excluded.team_id, enterprise_id = excluded.enterprise_id,
         enterprise_install = excluded.enterprise_install, sealed = excluded.sealed, expires_at = excluded.expires_at,
         version = installations.version + 1, updated_at = excluded.updated_at`,
    ).run(r.key, r.teamId, r.enterpriseId, r.enterpriseInstall ? 1 : 0, r.sealed, r.expiresAt, r.updatedAt);
  }

  async get(key: string): Promise<InstallationRecord | undefined> {
    const r = prep(this.db, 'SELECT * FROM installations WHERE install_key = ?').get(key) as RawInstallation | undefined;
    return r && toRecord(r);
  }

  async replaceIf(key: string, version: number, sealed: string, expiresAt: number | null, now: number): Promise<boolean> {
    return prep(this.db, 'UPDATE installations SET sealed = ?, expires_at = ?, version = version + 1, updated_at = ? WHERE install_key = ? AND version = ?')
      .run(sealed, expiresAt, now, key, version).changes === 1;
  }

  async delete(key: string): Promise<boolean> {
    return prep(this.db, 'DELETE FROM installations WHERE install_key = ?').run(key).changes === 1;
  }

  async list(): Promise<InstallationRecord[]> {
    return (prep(this.db, 'SELECT * FROM installations ORDER BY install_key').all() as RawInstallation[]).map(toRecord);
  }
}
