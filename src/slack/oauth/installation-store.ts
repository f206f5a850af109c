// Bolt's InstallationStore over our database: installations sealed at rest, looked up per request
// through a short per-process cache, and bot tokens refreshed ahead of expiry by exactly one replica.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Logger } from '../../log.js';
import type { InstallationRecord, Store } from '../../store/types.js';
import type { Sealer } from './seal.js';

/** Refresh a rotating bot token this long before it expires: earlier than Bolt's own 2-hour window, so Bolt never races us. */
export const REFRESH_AHEAD_MS = 3 * 3_600_000;
/** How long a replica's claim on a refresh holds before another may try (it died, or Slack failed). */
export const REFRESH_CLAIM_MS = 60_000;

export type AnyInstallation = Installation<'v1' | 'v2', boolean>;

export interface RefreshedToken {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

export interface InstallationStoreOptions {
  store: Store;
  sealer: Sealer;
  logger: Logger;
  now: () => number;
  cacheMs: number;
  /** oauth.v2.access with grant_type=refresh_token (Slack's token rotation). */
  refresh: (refreshToken: string) => Promise<RefreshedToken>;
}

/** Org-wide (Enterprise Grid) installs are stored under the enterprise id, every other under the team id. */
export function installationKey(q: { isEnterpriseInstall?: boolean | undefined; enterpriseId?: string | undefined; teamId?: string | undefined }): string | undefined {
  return q.isEnterpriseInstall ? q.enterpriseId : q.teamId ?? q.enterpriseId;
}

export class DatabaseInstallationStore implements InstallationStore {
  private readonly cache = new Map<string, { at: number; installation: AnyInstallation; record: InstallationRecord }>();
  /** Bounded: a cache entry is a few hundred bytes, and the oldest goes first. */
  private static readonly MAX_CACHED = 10_000;

  constructor(private readonly o: InstallationStoreOptions) {}

  async storeInstallation(installation: AnyInstallation): Promise<void> {
    const key = installationKey({ isEnterpriseInstall: installation.isEnterpriseInstall, enterpriseId: installation.enterprise?.id, teamId: installation.team?.id });
    if (!key) throw new Error('An installation without a team or enterprise id cannot be stored.');
    await this.o.store.installations.put({
      key,
      teamId: installation.team?.id ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      enterpriseInstall: Boolean(installation.isEnterpriseInstall),
      sealed: this.o.sealer.seal(JSON.stringify(installation), key),
      expiresAt: expiresAtMs(installation),
      updatedAt: this.o.now(),
    });
    this.cache.delete(key);
    this.o.logger.info({ key, enterpriseInstall: Boolean(installation.isEnterpriseInstall) }, 'slack installation stored');
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    const found = (await this.lookup(installationKey(query))) ?? (query.enterpriseId && !query.isEnterpriseInstall ? await this.lookup(query.enterpriseId) : undefined);
    if (!found) throw new Error(`No installation for ${query.isEnterpriseInstall ? `enterprise ${query.enterpriseId}` : `team ${query.teamId}`}: install the app from /slack/install.`);
    return found;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installationKey(query);
    if (!key) return;
    this.cache.delete(key);
    await this.o.store.installations.delete(key);
  }

  /** Forgets a cached installation (uninstalled, revoked). */
  evict(key: string): void {
    this.cache.delete(key);
  }

  /** The bot token of a workspace (or of the org it belongs to), undefined when it is not installed. */
  async botToken(workspace: string): Promise<string | undefined> {
    return (await this.lookup(workspace))?.bot?.token;
  }

  private async lookup(key: string | undefined): Promise<AnyInstallation | undefined> {
    if (!key) return undefined;
    const now = this.o.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.o.cacheMs && !dueForRefresh(hit.record, now)) return hit.installation;
    let record = await this.o.store.installations.get(key);
    if (!record) {
      this.cache.delete(key);
      return undefined;
    }
    if (dueForRefresh(record, now)) record = await this.refresh(record);
    const installation = JSON.parse(this.o.sealer.open(record.sealed, key)) as AnyInstallation;
    if (this.cache.size >= DatabaseInstallationStore.MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { at: now, installation, record });
    return installation;
  }

  /**
   * One replica refreshes: it first claims the record (compare-and-set on its version) and, in the same
   * write, moves its refresh-due time a minute on, so no other replica sees it as due meanwhile; then it
   * writes the new tokens against the claimed version. A replica that loses the claim keeps using the
   * current token, which is still valid for hours, and reads the new one on a later lookup. A claim whose
   * holder died (or whose call to Slack failed) lapses after REFRESH_CLAIM_MS, and another replica tries.
   */
  private async refresh(record: InstallationRecord): Promise<InstallationRecord> {
    const { store, sealer, now } = this.o;
    const claimedUntil = now() + REFRESH_AHEAD_MS + REFRESH_CLAIM_MS;
    const claimed = await store.installations.replaceIf(record.key, record.version, record.sealed, claimedUntil, now());
    if (!claimed) return (await store.installations.get(record.key)) ?? record;
    const installation = JSON.parse(sealer.open(record.sealed, record.key)) as AnyInstallation;
    const refreshToken = installation.bot?.refreshToken;
    if (!installation.bot || !refreshToken) return { ...record, expiresAt: claimedUntil, version: record.version + 1 };
    try {
      const fresh = await this.o.refresh(refreshToken);
      installation.bot.token = fresh.accessToken;
      installation.bot.refreshToken = fresh.refreshToken;
      installation.bot.expiresAt = Math.floor(now() / 1000) + fresh.expiresInSeconds;
      const sealed = sealer.seal(JSON.stringify(installation), record.key);
      const expiresAt = expiresAtMs(installation);
      await store.installations.replaceIf(record.key, record.version + 1, sealed, expiresAt, now());
      this.o.logger.info({ key: record.key }, 'slack bot token refreshed');
      return { ...record, sealed, expiresAt, version: record.version + 2 };
    } catch (error) {
      this.o.logger.warn({ key: record.key, err: error instanceof Error ? error.message : String(error) }, 'slack token refresh failed; the current token is used until the next try');
      return { ...record, expiresAt: claimedUntil, version: record.version + 1 };
    }
  }
}

function expiresAtMs(installation: AnyInstallation): number | null {
  return installation.bot?.expiresAt ? installation.bot.expiresAt * 1000 : null;
}

function dueForRefresh(record: InstallationRecord, now: number): boolean {
  return record.expiresAt !== null && record.expiresAt - now < REFRESH_AHEAD_MS;
}
