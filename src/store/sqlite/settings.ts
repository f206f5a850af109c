// Per-workspace settings: where and when the weekly digest goes.
import type { DigestSettings, Platform, SettingsRepo } from '../types.js';
import { prep, type Db } from './database.js';

export class SqliteSettings implements SettingsRepo {
  constructor(private readonly db: Db) {}

  async getDigest(workspace: string): Promise<DigestSettings | undefined> {
    const r = prep(this.db, 'SELECT digest_channel, digest_weekday, digest_hour, digest_minute, digest_tz, platform FROM workspace_settings WHERE workspace = ?')
      .get(workspace) as { digest_channel: string | null; digest_weekday: number; digest_hour: number; digest_minute: number | null; digest_tz: string; platform: 'slack' | 'teams' | null } | undefined;
    if (!r || !r.digest_channel) return undefined;
    return { channel: r.digest_channel, weekday: r.digest_weekday, hour: r.digest_hour, minute: r.digest_minute ?? 0, timeZone: r.digest_tz, ...(r.platform ? { platform: r.platform } : {}) };
  }

  async setDigest(workspace: string, s: DigestSettings, now: number): Promise<void> {
    prep(this.db, 
        `INSERT INTO workspace_settings (workspace, digest_channel, digest_weekday, digest_hour, digest_minute, digest_tz, platform, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace) DO UPDATE SET digest_channel = excluded.digest_channel, digest_weekday = excluded.digest_weekday,
           digest_hour = excluded.digest_hour, digest_minute = excluded.digest_minute, digest_tz = excluded.digest_tz, platform = excluded.platform, updated_at = excluded.updated_at`,
      )
      .run(workspace, s.channel, s.weekday, s.hour, s.minute, s.timeZone, s.platform ?? null, now);
  }

  /** Workspaces with their own digest settings. */
  async workspacesWithDigest(): Promise<string[]> {
    return (prep(this.db, 'SELECT workspace FROM workspace_settings WHERE digest_channel IS NOT NULL ORDER BY workspace').all() as { workspace: string }[]).map((r) => r.workspace);
  }

  /** Every workspace that has consulted at least once (for digests from the environment's defaults): one row each in its totals. */
  async activeWorkspaces(): Promise<string[]> {
    return (prep(this.db, 'SELECT workspace FROM workspace_stats ORDER BY workspace').all() as Array<{ workspace: string }>).map((r) => r.workspace);
  }

  /** The platform a workspace consults on, from its first consultation (kept in its totals); undefined before any. */
  async platformOf(workspace: string): Promise<Platform | undefined> {
    const r = prep(this.db, 'SELECT platform FROM workspace_stats WHERE workspace = ?').get(workspace) as { platform: Platform } | undefined;
    return r?.platform;
  }

  /** Workspaces due a digest job and without one waiting, a page at a time: one probe of the jobs index each. */
  async awaitingDigest(withDefault: boolean, page = { after: '', limit: ALL }): Promise<{ awaiting: string[]; next: string | undefined }> {
    // Named, since SQLite rates the index of every job (three equal columns) as good as the waiting
    // digests' own (migration 0018), which is a thousandth of its size and stays in memory.
    const rows = prep(this.db, `SELECT w.workspace, NOT EXISTS (
        SELECT 1 FROM scheduled_jobs j INDEXED BY scheduled_jobs_waiting_digest WHERE j.workspace = w.workspace AND j.kind = 'digest' AND j.done_at IS NULL) AS awaiting
      FROM (
        SELECT workspace FROM (SELECT workspace FROM workspace_settings WHERE digest_channel IS NOT NULL AND workspace > ? ORDER BY workspace LIMIT ?)
        UNION SELECT workspace FROM (SELECT workspace FROM workspace_stats WHERE ? = 1 AND workspace > ? ORDER BY workspace LIMIT ?)) AS w
      ORDER BY w.workspace LIMIT ?`)
      .all(page.after, page.limit, withDefault ? 1 : 0, page.after, page.limit, page.limit) as Array<{ workspace: string; awaiting: number }>;
    return { awaiting: rows.filter((r) => r.awaiting === 1).map((r) => r.workspace), next: rows.length === page.limit ? rows.at(-1)!.workspace : undefined };
  }
}

/** "No page": every workspace at once. */
const ALL = 2 ** 31 - 1;
