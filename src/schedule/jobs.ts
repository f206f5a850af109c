// What each job kind does: check-ins (and one reminder a week later), and the weekly digest.
// Surfaces are reached through Sender interfaces, so this module imports neither Slack nor Teams.
import { QUESTIONNAIRE_KEPT_DAYS } from '../consult/conversation.js';
import { buildCheckInView, type CheckInView } from '../present/check-in.js';
import type { DigestView } from '../present/digest.js';
import type { Clock } from '../service/consult-service.js';
import { buildDigest } from '../service/digest-service.js';
import type { DigestSettings, Job, Platform, Store } from '../store/types.js';
import { digestJobKey, nextDigestTime } from './digest-time.js';
import type { JobHandler } from './scheduler.js';

export const REMINDER_AFTER_MS = 7 * 86_400_000;
const QUESTIONNAIRE_KEPT_MS = QUESTIONNAIRE_KEPT_DAYS * 86_400_000;

export interface Sender {
  sendCheckIn(target: { workspace: string; userId: string }, view: CheckInView): Promise<void>;
  postDigest(target: { workspace: string; channel: string }, digest: DigestView, chartPng: Buffer | null): Promise<void>;
}

export interface JobDeps {
  store: Store;
  clock: Clock;
  senders: Partial<Record<Platform, Sender>>;
  /** Defaults from the environment, used for workspaces that have not set their own. */
  digestDefaults: Omit<DigestSettings, 'channel'> & { channel?: string };
  renderChart?: (digest: DigestView) => Promise<Buffer>;
}

function checkInHandler(deps: JobDeps, reminder: boolean): JobHandler {
  return async (job: Job) => {
    const id = String(job.payload.consultationId);
    const row = await deps.store.consultations.get(job.workspace, id);
    if (!row || row.notAdopted) return;
    const predictions = await deps.store.consultations.predictions(job.workspace, id);
    const open = predictions.some((p) => p.happened === null);
    // The reminder is only for an unanswered check-in; after it, silence.
    if (reminder && !open) return;
    const sender = deps.senders[row.platform];
    if (sender) await sender.sendCheckIn({ workspace: job.workspace, userId: row.userId }, buildCheckInView(row, predictions, reminder));
    if (!reminder) {
      await deps.store.jobs.enqueue({ workspace: job.workspace, kind: 'check-in-reminder', key: `check-in-reminder:${id}`, dueAt: deps.clock.now() + REMINDER_AFTER_MS, payload: { consultationId: id } }, deps.clock.now());
    }
  };
}

export async function digestSettingsFor(deps: JobDeps, workspace: string): Promise<DigestSettings | undefined> {
  const own = await deps.store.settings.getDigest(workspace);
  if (own) return own;
  return deps.digestDefaults.channel ? { ...deps.digestDefaults, channel: deps.digestDefaults.channel } : undefined;
}

/** Queues the next digest of each workspace named, if it has a digest channel. Idempotent. */
async function queueDigests(deps: JobDeps, workspaces: readonly string[]): Promise<number> {
  const now = deps.clock.now();
  let added = 0;
  for (const w of workspaces) {
    const s = await digestSettingsFor(deps, w);
    if (!s) continue;
    const dueAt = nextDigestTime(s, now);
    if (await deps.store.jobs.enqueue({ workspace: w, kind: 'digest', key: digestJobKey(w, dueAt, s.timeZone), dueAt }, now)) added++;
  }
  return added;
}

/**
 * Makes sure every workspace with a digest channel has its next digest job (or only `workspace`, after
 * its schedule changed). Idempotent. Workspaces that already have a digest waiting are left out by the
 * store; all of them are looked at, a page at a time.
 */
export async function ensureDigestJobs(deps: JobDeps, workspace?: string): Promise<number> {
  if (workspace !== undefined) return queueDigests(deps, [workspace]);
  let added = 0;
  for (let page: { after: string; limit: number } | undefined = { after: '', limit: SWEEP_PAGE }; page; ) {
    const { awaiting, next } = await deps.store.settings.awaitingDigest(deps.digestDefaults.channel !== undefined, page);
    added += await queueDigests(deps, awaiting);
    page = next === undefined ? undefined : { after: next, limit: SWEEP_PAGE };
  }
  return added;
}

/** Workspaces a housekeeping step looks at, and old keys or counters it drops at most. */
export const SWEEP_PAGE = 200;
export const PRUNE_BATCH = 2_000;

/** Where the digest sweep goes on from: the last workspace the previous step looked at. */
export interface SweepCursor {
  after: string;
}

/**
 * One step of the scheduler's housekeeping, run before every pass: the next SWEEP_PAGE workspaces (in
 * byte order, then from the start again) get their digest queued if they have none waiting, and at
 * most PRUNE_BATCH dedupe keys and rate counters older than a day are dropped (Slack retries for about
 * an hour at most). A step costs the same with 100 workspaces or 100,000, and so does the pass; a full
 * round of the sweep takes workspaces / SWEEP_PAGE passes (10,000 workspaces: 50 passes, 25 minutes at
 * the default 30 s), which only delays a new workspace's first digest, and a schedule change queues its
 * own at once.
 */
export async function housekeeping(deps: JobDeps, cursor: SweepCursor = { after: '' }): Promise<void> {
  const dayAgo = deps.clock.now() - 86_400_000;
  // The page and the prunes do not depend on each other: on PostgreSQL each is a round trip on a
  // pooled connection of its own, so the step waits for the slowest of them, not their sum.
  const [{ awaiting, next }] = await Promise.all([
    deps.store.settings.awaitingDigest(deps.digestDefaults.channel !== undefined, { after: cursor.after, limit: SWEEP_PAGE }),
    deps.store.events.prune(dayAgo, PRUNE_BATCH),
    deps.store.rateLimits.prune(dayAgo, PRUNE_BATCH),
    deps.store.conversations.prune(deps.clock.now() - QUESTIONNAIRE_KEPT_MS, PRUNE_BATCH),
  ]);
  cursor.after = next ?? '';
  await queueDigests(deps, awaiting);
}

function digestHandler(deps: JobDeps): JobHandler {
  return async (job: Job) => {
    const s = await digestSettingsFor(deps, job.workspace);
    if (!s) return;
    const platform: Platform = s.platform ?? (await deps.store.settings.platformOf(job.workspace)) ?? 'slack';
    const sender = deps.senders[platform];
    const digest = await buildDigest(deps.store, job.workspace, deps.clock.now(), s.timeZone);
    if (sender) {
      const png = digest.accuracy.resolved > 0 && deps.renderChart ? await deps.renderChart(digest).catch(() => null) : null;
      await sender.postDigest({ workspace: job.workspace, channel: s.channel }, digest, png);
    }
    // The next week's digest; its key is its own ISO week, so it cannot collide with this one.
    const next = nextDigestTime(s, Math.max(deps.clock.now(), job.dueAt));
    await deps.store.jobs.enqueue({ workspace: job.workspace, kind: 'digest', key: digestJobKey(job.workspace, next, s.timeZone), dueAt: next }, deps.clock.now());
  };
}

export function jobHandlers(deps: JobDeps): Record<string, JobHandler> {
  return { 'check-in': checkInHandler(deps, false), 'check-in-reminder': checkInHandler(deps, true), digest: digestHandler(deps) };
}
