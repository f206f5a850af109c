// What every chat surface (Slack, Teams) is handed by the composition root: no module-level singletons.
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { ConsultService } from './consult-service.js';

export interface SurfaceDeps {
  kb: KnowledgeBase;
  service: ConsultService;
  store: Store;
  logger: Logger;
  /** Per-user limit on new consultations; false when the user is over it. */
  allowConsultation(workspace: string, userId: string): Promise<boolean>;
  checkInDays: number;
  /** Called after the digest schedule changed, so the pending job moves with it. */
  onDigestSettingsChanged?: (workspace: string) => Promise<void>;
}
