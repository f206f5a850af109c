// What every Slack listener needs, passed in by the composition root (no module-level singletons).
import type { WebClient } from '@slack/web-api';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Logger } from '../log.js';
import type { ConsultService } from '../service/consult-service.js';
import type { Store } from '../store/index.js';

export interface SlackDeps {
  kb: KnowledgeBase;
  service: ConsultService;
  store: Store;
  logger: Logger;
  /** Per-user limit on new consultations; returns false when the user is over it. */
  allowConsultation(workspace: string, userId: string): boolean;
  checkInDays: number;
  /** Called after an admin changes the digest schedule, so the pending job moves with it. */
  onDigestSettingsChanged?: (workspace: string) => void;
}

/** Slack workspace admins and owners may record outcomes for anyone's consultation. */
export async function isWorkspaceAdmin(client: WebClient, userId: string): Promise<boolean> {
  const info = await client.users.info({ user: userId });
  return Boolean(info.user?.is_admin || info.user?.is_owner || info.user?.is_primary_owner);
}

/** Kept under the name the Slack code and its tests use. */
export { consultationIdFromKey as idFromKey } from '../service/consult-service.js';
