// Per-workspace settings on PostgreSQL (where and when the weekly digest goes), and the workspace
// lists the scheduler walks; same answers and order as the SQLite store.
import type { DigestSettings, Platform, SettingsRepo } from '../types.js';
import type { PgDb } from './pool.js';

interface RawSettings {
  digest_channel: string | null;
  digest_weekday: number;
  digest_hour: number;
  digest_minute: number | null;
  digest_tz: string;
  platform: 'slack' | 'teams' | null;
}

export class PostgresSettings implements SettingsRepo {
  constructor(private readonly db: PgDb) {}

  async getDigest(workspace: string): Promise<DigestSettings | undefined> {
    const r = await this.db.one<RawSettings>('SELECT digest_channel, digest_weekday, digest_hour, digest_minute, digest_tz, platform FROM workspace_settings WHERE workspace = $1', [workspace]);
    if (!r || !r.digest_channel) return undefined;
    return { channel: r.digest_channel, weekday: r.digest_weekday, hour: r.digest_hour, minute: r.digest_minute ?? 0, timeZone: r.digest_tz, ...(r.platform ? { platform: r.platform } : {}) };
  }

  async setDigest(workspace: string, s: DigestSettings, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO workspace_settings (workspace, digest_channel, digest_weekday, digest_hour, digest_minute, digest_tz, platform, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (workspace) DO UPDATE SET digest_channel = excluded.digest_channel, digest_weekday = excluded.digest_weekday,
         digest_hour = excluded.digest_hour, digest_minute = excluded.digest_minute, digest_tz = excluded.digest_tz, platform = excluded.platform, updated_at = excluded.updated_at`,
      [workspace, s.channel, s.weekday, s.hour, s.minute, s.timeZone, s.platform ?? null, now],
    );
  }

  /** Workspaces with their own digest settings. */
  async workspacesWithDigest(): Promise<string[]> {
    return (await this.db.rows<{ workspace: string }>('SELECT workspace FROM workspace_settings WHERE digest_channel IS NOT NULL ORDER BY workspace')).map((r) => r.workspace);
  }

  /** Every workspace that has consulted at least once (for digests from the environment's defaults): one row each in its totals. */
  async activeWorkspaces(): Promise<string[]> {
    return (await this.db.rows<{ workspace: string }>('SELECT workspace FROM workspace_stats ORDER BY workspace')).map((r) => r.workspace);
  }

  /** The platform a workspace consults on, from its first consultation (kept in its totals); undefined before any. */
  async platformOf(workspace: string): Promise<Platform | undefined> {
    const r = await this.db.one<{ platform: Platform }>('SELECT platform FROM workspace_stats WHERE workspace = $1', [workspace]);
    return r?.platform;
  }

  /**
   * Workspaces due a digest job and without one waiting, a page at a time: one probe of the jobs index
   * each. The LATERAL ... LIMIT 1 keeps it a probe: as NOT EXISTS the planner may instead hash-join
   * against every job in the table (the test data showed it choosing that).
   */
  async awaitingDigest(withDefault: boolean, page = { after: '', limit: ALL }): Promise<{ awaiting: string[]; next: string | undefined }> {
    // The page is cut before the look-ups: the union holds up to twice the page, and each row past it was
    // a look-up for nothing (380 where 200 were kept). Each look-up is one probe of the waiting digests'
    // own index (migration 0011).
    const rows = await this.db.rows<{ workspace: string; awaiting: boolean }>(`SELECT w.workspace, q.queued IS NULL AS awaiting FROM (
        SELECT workspace FROM (
          (SELECT workspace FROM workspace_settings WHERE digest_channel IS NOT NULL AND workspace > $2 ORDER BY workspace LIMIT $3)
          UNION (SELECT workspace FROM workspace_stats WHERE $1 AND workspace > $2 ORDER BY workspace LIMIT $3)) AS u
        ORDER BY workspace LIMIT $3) AS w
      LEFT JOIN LATERAL (SELECT 1 AS queued FROM scheduled_jobs j WHERE j.workspace = w.workspace AND j.kind = 'digest' AND j.done_at IS NULL LIMIT 1) AS q ON true
      ORDER BY w.workspace`, [withDefault, page.after, page.limit]);
    return { awaiting: rows.filter((r) => r.awaiting).map((r) => r.workspace), next: rows.length === page.limit ? rows.at(-1)!.workspace : undefined };
  }
}

/** "No page": every workspace at once. */
const ALL = 2 ** 31 - 1;
