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

/** Deterministic consultation id from a delivery's own id, so a redelivery finds the stored row. */
export function idFromKey(key: string): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  let h = 0xcbf29ce484222325n;
  for (const ch of key) h = BigInt.asUintN(64, (h ^ BigInt(ch.codePointAt(0)!)) * 0x100000001b3n);
  let id = '';
  for (let i = 0; i < 8; i++) {
    id += alphabet[Number(h & 31n)];
    h >>= 5n;
  }
  return `rc-${id}`;
}
