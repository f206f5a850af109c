// app_uninstalled and tokens_revoked (OAuth installs only): the workspace's tokens go at once and its
// scheduled sends stop; its consultations stay until an operator runs `workspace purge`.
import type { App } from '@slack/bolt';
import type { Logger } from '../../../log.js';

type OnUninstalled = (workspace: { teamId?: string; enterpriseId?: string; enterpriseInstall: boolean }) => Promise<void>;

export function register(app: App, onUninstalled: OnUninstalled, logger: Logger): void {
  const forget = async (body: { team_id?: string; enterprise_id?: string; is_enterprise_install?: boolean }, why: string): Promise<void> => {
    const workspace = {
      ...(body.team_id ? { teamId: body.team_id } : {}),
      ...(body.enterprise_id ? { enterpriseId: body.enterprise_id } : {}),
      enterpriseInstall: Boolean(body.is_enterprise_install),
    };
    logger.info({ ...workspace, why }, 'slack workspace uninstalled: tokens deleted, scheduled sends stopped');
    await onUninstalled(workspace);
  };
  app.event('app_uninstalled', async ({ body }) => forget(body, 'app_uninstalled'));
  app.event('tokens_revoked', async ({ event, body }) => {
    // Only the bot's own token matters: without it nothing can be sent; a revoked user token changes nothing here.
    if ((event.tokens.bot ?? []).length > 0) await forget(body, 'tokens_revoked');
  });
}
