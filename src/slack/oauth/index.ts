// Wires OAuth installs: the sealed installation store, token refresh through oauth.v2.access, and what
// uninstalling does (tokens deleted, the workspace's pending sends cancelled).
import { WebClient } from '@slack/web-api';
import type { SlackOAuthConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/types.js';
import type { SlackOAuthOptions } from '../app.js';
import { DatabaseInstallationStore, installationKey } from './installation-store.js';
import { Sealer } from './seal.js';

export interface SlackOAuth {
  options: SlackOAuthOptions;
  installations: DatabaseInstallationStore;
  /** The bot token to send to a workspace with; undefined once it has uninstalled. */
  tokenFor(workspace: string): Promise<string | undefined>;
}

export function createSlackOAuth(config: SlackOAuthConfig, deps: { store: Store; logger: Logger; now: () => number; apiUrl?: string | undefined; fetch?: typeof fetch | undefined }): SlackOAuth {
  const client = new WebClient(undefined, {
    ...(deps.apiUrl ? { slackApiUrl: deps.apiUrl.endsWith('/') ? deps.apiUrl : `${deps.apiUrl}/` } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const installations = new DatabaseInstallationStore({
    store: deps.store,
    sealer: new Sealer(config.encryptionKey, config.previousKey),
    logger: deps.logger.child({ component: 'installations' }),
    now: deps.now,
    cacheMs: config.installationCacheMs,
    refresh: async (refreshToken) => {
      const r = await client.oauth.v2.access({ client_id: config.clientId, client_secret: config.clientSecret, grant_type: 'refresh_token', refresh_token: refreshToken });
      if (!r.access_token || !r.refresh_token || !r.expires_in) throw new Error('oauth.v2.access returned no rotated token');
      return { accessToken: r.access_token, refreshToken: r.refresh_token, expiresInSeconds: r.expires_in };
    },
  });
  return {
    installations,
    tokenFor: (workspace) => installations.botToken(workspace),
    options: {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      stateSecret: config.stateSecret,
      installationStore: installations,
      onUninstalled: async (w) => {
        const key = installationKey({ isEnterpriseInstall: w.enterpriseInstall, enterpriseId: w.enterpriseId, teamId: w.teamId });
        if (!key) return;
        installations.evict(key);
        await deps.store.installations.delete(key);
        if (w.teamId) await deps.store.jobs.cancelPending(w.teamId);
      },
    },
  };
}
