// The store's contract: one interface that the service, surfaces, scheduler and CLI use, with one
// implementation per engine (sqlite/, postgres/) and one contract test suite run against each.
import type { ConversationState } from '../consult/conversation.js';
import type { Decision, DecisionQuery, RecordQuery, Story, TopicRecord } from './decision-types.js';
import type { Scoring } from '../accuracy/groups.js';

export type { Decision, DecisionQuery, PastStory, RecordEntry, RecordQuery, Story, TopicRecord } from './decision-types.js';

export type Engine = 'sqlite' | 'postgres';
export type Platform = 'slack' | 'teams' | 'cli';
export type ChatPlatform = 'slack' | 'teams';
export type Severity = 'low' | 'medium' | 'high';

/** p10/p50/p90 of a cost or time estimate. */
export interface EstimateQuantiles {
  p10: number;
  p50: number;
  p90: number;
}

export interface NewConsultation {
  id: string;
  workspace: string;
  platform: Platform;
  channel: string | null;
  userId: string;
  question: string;
  topic: string;
  knowledgeVersion: string;
  answers: Record<string, string>;
  verdict: string;
  riskScore: number;
  /** The whole assessment as shown, kept for show/explain/export. */
  assessment: unknown;
  /** `severity` as the knowledge base gave it (the failure-prevention metric groups by it). */
  predictions: Array<{ failureMode: string; probability: number; modelProbability: number; horizonMonths: number; severity?: Severity }>;
  /** p10/p50/p90 as shown; `model` the knowledge base's own when learning moved them (else the same). */
  estimates: Array<{ kind: 'cost' | 'time'; p10: number; p50: number; p90: number; unit: string; model?: EstimateQuantiles }>;
  createdAt: number;
  checkInAt: number;
  /** The message the question was taken from (a Slack message shortcut, a Teams message action). */
  sourceUrl?: string | null;
  /** The workspace's record on the topic as the verdict showed it (a snapshot; the service parses it). */
  history?: unknown;
}

export interface ConsultationRow {
  id: string;
  workspace: string;
  platform: Platform;
  channel: string | null;
  userId: string;
  question: string;
  topic: string;
  knowledgeVersion: string;
  answers: Record<string, string>;
  verdict: string;
  riskScore: number;
  assessment: unknown;
  createdAt: number;
  checkInAt: number;
  notAdopted: boolean;
  story: Story | null;
  sourceUrl: string | null;
  /** Where the verdict was posted, when that place has a link (a Slack channel or thread). */
  verdictUrl: string | null;
  /** The snapshot saved with the consultation; null when there was no earlier one on the topic. */
  history: unknown;
  /** Did the asker follow the suggested alternative? null until they say. */
  followedAlternative: boolean | null;
}

export interface PredictionRow {
  id: number;
  failureMode: string;
  probability: number;
  modelProbability: number;
  horizonMonths: number;
  happened: boolean | null;
  applicable: boolean;
}

export interface EstimateRow {
  id: number;
  kind: 'cost' | 'time';
  p10: number;
  p50: number;
  p90: number;
  unit: string;
  actual: number | null;
}

export interface OutcomeInput {
  /** Failure mode id → happened; null = too early to say (left unresolved). */
  failureModes: Record<string, boolean | null>;
  actualCost?: number | null;
  actualMonths?: number | null;
  /** "We didn't adopt it": its failure modes are not applicable and leave the scores. */
  notAdopted?: boolean;
  /** What happened, in a sentence or two: replaces the story; null removes it; absent keeps it. */
  story?: { text: string; private: boolean; author?: string | null } | null;
  /** Whether the suggested alternative was followed; null takes an earlier answer back. */
  followedAlternative?: boolean | null;
}

export interface ResolvedForecast {
  consultationId: string;
  workspace: string;
  topic: string;
  failureMode: string;
  probability: number;
  modelProbability: number;
  knowledgeVersion: string;
  happened: 0 | 1;
  createdAt: number;
  recordedAt: number;
  /** null for predictions whose severity was not recorded. */
  severity: Severity | null;
  followedAlternative: boolean | null;
}

export interface ResolvedEstimate {
  consultationId: string;
  topic: string;
  kind: 'cost' | 'time';
  p10: number;
  p50: number;
  p90: number;
  actual: number;
  recordedAt: number;
  /** The knowledge base's own quantiles (what learning learns from); the same as p10–p90 unless learned. */
  modelP10: number;
  modelP50: number;
  modelP90: number;
}

/** A workspace's running totals (workspace_stats), kept in the transactions that change them. */
export interface WorkspaceTotals {
  consultations: number;
  /** Unresolved predictions of adopted consultations (what countOpenPredictions counts). */
  openPredictions: number;
  /** Resolved predictions of adopted consultations, how many happened, and Σ (probability − outcome)². */
  resolved: number;
  happened: number;
  squaredError: number;
  /** Actuals above zero of adopted consultations' estimates, and how many fell inside p10–p90. */
  cost: { resolved: number; inside: number };
  time: { resolved: number; inside: number };
  /** Moves on with every recordOutcomes in the workspace. */
  outcomeVersion: number;
}

export interface ConsultationRepo {
  /**
   * Saves the consultation, its predictions, estimates and check-in job in one transaction, and returns
   * the row as `get` would read it back (without reading it: the verdict renders from it).
   */
  save(c: NewConsultation): Promise<ConsultationRow>;
  get(workspace: string, id: string): Promise<ConsultationRow | undefined>;
  /** Operator view (the CLI): finds a consultation in any workspace. */
  getForOperator(id: string): Promise<ConsultationRow | undefined>;
  listForUser(workspace: string, userId: string, limit: number): Promise<ConsultationRow[]>;
  /** Operator view (the CLI): every workspace unless one is named. */
  listForOperator(options: { workspace?: string; limit: number }): Promise<ConsultationRow[]>;
  countSince(workspace: string, since: number): Promise<Array<{ topic: string; count: number }>>;
  predictions(workspace: string, consultationId: string): Promise<PredictionRow[]>;
  estimates(workspace: string, consultationId: string): Promise<EstimateRow[]>;
  /** Records what happened; a later answer for the same prediction replaces the earlier one. */
  recordOutcomes(workspace: string, consultationId: string, input: OutcomeInput, recordedBy: string, recordedAt: number): Promise<void>;
  /** Resolved failure modes of adopted consultations, by the time their outcome was recorded (both bounds included). */
  resolvedForecasts(workspace: string, options?: { since?: number; until?: number }): Promise<ResolvedForecast[]>;
  /** The running sums the digest reads (scoring_groups): one row per group, however many outcomes. */
  scoring(workspace: string): Promise<Scoring>;
  /** Operator view: resolved forecasts of every workspace, or of one. */
  resolvedForecastsForOperator(workspace?: string): Promise<ResolvedForecast[]>;
  resolvedEstimates(workspace: string): Promise<ResolvedEstimate[]>;
  resolvedEstimatesForOperator(workspace?: string): Promise<ResolvedEstimate[]>;
  /** Changes whenever an outcome in the workspace is recorded or replaced. */
  outcomeVersion(workspace: string): Promise<string>;
  countOpenPredictions(workspace: string): Promise<number>;
  /** The workspace's running totals: one row however large its history; zeros before its first consultation. */
  totals(workspace: string): Promise<WorkspaceTotals>;
  /** The calibration last learned from the workspace's outcomes, with the outcome version it was learned at. */
  learnedCalibration(workspace: string): Promise<{ outcomeVersion: string; model: string } | undefined>;
  /** Keeps a learned calibration (JSON) for every process and replica; replaces the one before. */
  saveLearnedCalibration(workspace: string, outcomeVersion: string, model: string, now: number): Promise<void>;
  /** Operator/metrics view: open predictions over every workspace. */
  countOpenPredictionsForOperator(): Promise<number>;
  /** Operator/metrics view: Brier score over every resolved prediction, null before the first. */
  brierForOperator(): Promise<number | null>;
  /** Moves the check-in (and its job); false when there is no such consultation. */
  setCheckIn(workspace: string, id: string, at: number): Promise<boolean>;
  /**
   * The workspace's consultations with their outcomes and stories: two indexed queries whatever the
   * history's size (one for the consultations, at most `limit`, one for their outcomes).
   */
  decisions(workspace: string, query: DecisionQuery): Promise<Decision[]>;
  /**
   * The workspace's record on a topic as a new verdict counts it: what `topicRecord` makes of the same
   * decisions, read without their questions and added up as each outcome record is parsed.
   */
  record(workspace: string, query: RecordQuery): Promise<TopicRecord>;
  /** Remembers where the verdict was posted; false when there is no such consultation. */
  setVerdictUrl(workspace: string, id: string, url: string): Promise<boolean>;
}

export interface StoredConversation {
  userId: string;
  state: ConversationState;
  messageRef: string | null;
}

export interface ConversationRepo {
  get(workspace: string, platform: ChatPlatform, key: string): Promise<StoredConversation | undefined>;
  put(workspace: string, platform: ChatPlatform, key: string, value: StoredConversation, now: number): Promise<void>;
  /** Records the message a questionnaire lives in, only if none is recorded yet; the state is left alone. */
  setMessageRef(workspace: string, platform: ChatPlatform, key: string, messageRef: string): Promise<void>;
  delete(workspace: string, platform: ChatPlatform, key: string): Promise<void>;
  /** Drops questionnaires last touched before the given time (at most `limit` of them); returns how many. */
  prune(olderThan: number, limit: number): Promise<number>;
  putReference(workspace: string, platform: string, key: string, reference: unknown, now: number): Promise<void>;
  getReference(workspace: string, platform: string, key: string): Promise<unknown>;
}

export interface EventRepo {
  /** True the first time a key is seen in a workspace, false for every redelivery. */
  markProcessed(workspace: string, key: string, now: number): Promise<boolean>;
  /** Drops keys older than the given time (at most `limit` of them); returns how many. */
  prune(olderThan: number, limit?: number): Promise<number>;
}

export interface Job {
  id: number;
  workspace: string;
  kind: string;
  key: string;
  dueAt: number;
  payload: Record<string, unknown>;
  attempts: number;
}

export const MAX_ATTEMPTS = 5;

export interface JobRepo {
  /** Adds a job unless one with this key exists (done or not): a key runs once. */
  enqueue(job: { workspace: string; kind: string; key: string; dueAt: number; payload?: Record<string, unknown> }, now: number): Promise<boolean>;
  /** Leases up to `limit` due jobs; a job leased by another worker is skipped until its lease ends. */
  claimDue(now: number, leaseMs: number, limit: number): Promise<Job[]>;
  complete(id: number, now: number): Promise<void>;
  /** Retries with backoff; after MAX_ATTEMPTS the job is closed with its last error kept. */
  fail(job: Job, error: string, now: number): Promise<void>;
  /** Drops a workspace's pending jobs of one kind (or of every kind), unless leased right now. */
  cancelPending(workspace: string, kind?: string): Promise<number>;
  get(key: string): Promise<(Job & { doneAt: number | null; lastError: string | null }) | undefined>;
  /** How late the oldest due job is (ms), 0 when nothing is waiting: the scheduler-lag metric. */
  lag(now: number): Promise<number>;
  pending(): Promise<number>;
}

export interface DigestSettings {
  channel: string;
  /** The platform the settings were made on; the digest goes out through it. */
  platform?: ChatPlatform;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  hour: number;
  minute: number;
  timeZone: string;
}

export interface SettingsRepo {
  getDigest(workspace: string): Promise<DigestSettings | undefined>;
  setDigest(workspace: string, s: DigestSettings, now: number): Promise<void>;
  /** Workspaces with their own digest settings. */
  workspacesWithDigest(): Promise<string[]>;
  /** Every workspace that has consulted at least once (for digests from the environment's defaults). */
  activeWorkspaces(): Promise<string[]>;
  /** The platform a workspace consults on, from its first consultation; undefined before any. */
  platformOf(workspace: string): Promise<Platform | undefined>;
  /**
   * Workspaces that should have a weekly digest queued and have no digest job waiting: those with their
   * own digest settings, and every active one when `withDefault` (a default channel is configured). With
   * a page, only the `limit` workspaces after `after` (in byte order) are looked at; `next` is where the
   * following page starts, undefined once the last workspace was looked at.
   */
  awaitingDigest(withDefault: boolean, page?: { after: string; limit: number }): Promise<{ awaiting: string[]; next: string | undefined }>;
}

/** A Slack installation as stored: the tokens live only inside `sealed`, encrypted before they get here. */
export interface InstallationRecord {
  /** The team id, or the enterprise id of an org-wide (Enterprise Grid) install. */
  key: string;
  teamId: string | null;
  enterpriseId: string | null;
  enterpriseInstall: boolean;
  /** The whole installation, encrypted (AES-256-GCM); the store never sees a token. */
  sealed: string;
  /** When the bot token expires (token rotation), ms; null when it does not. */
  expiresAt: number | null;
  /** Bumps on every write: a refresh replaces the record only if nobody else did first. */
  version: number;
  updatedAt: number;
}

export interface InstallationRepo {
  /** Inserts or replaces (a re-install); the version moves on. */
  put(record: Omit<InstallationRecord, 'version'>): Promise<void>;
  get(key: string): Promise<InstallationRecord | undefined>;
  /** Compare-and-set: replaces only when the stored version is still `version`. */
  replaceIf(key: string, version: number, sealed: string, expiresAt: number | null, now: number): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  /** Every record, for re-encrypting under a new key. */
  list(): Promise<InstallationRecord[]>;
}

export interface RateLimitRepo {
  /**
   * Counts one hit for the user and says whether it is within `limit` per sliding hour (estimated from
   * the current and the previous hour's counters, so the cost is one row whatever the traffic).
   */
  hit(workspace: string, userId: string, now: number, limit: number): Promise<boolean>;
  /** Drops counters older than the given time (at most `limit` of them). */
  prune(olderThan: number, limit?: number): Promise<number>;
}

/** Tables in copy order (parents first), for `db copy` and row counts. */
export const TABLES = [
  'consultations',
  'predictions',
  'estimates',
  'outcomes',
  'scheduled_jobs',
  'workspace_settings',
  'conversations',
  'conversation_references',
  'processed_events',
  'installations',
  'rate_limits',
  'detection_gaps',
  'workspace_stats',
  'workspace_calibration',
  'scoring_groups',
] as const;
export type TableName = (typeof TABLES)[number];

export type RawRow = Record<string, string | number | null>;

/** Row-level access for moving a database between engines; column names are the same on both. */
export interface TableAccess {
  counts(): Promise<Record<TableName, number>>;
  /** Rows in primary-key order, `limit` at a time after `offset`. */
  read(table: TableName, offset: number, limit: number): Promise<RawRow[]>;
  /** Inserts rows as they are (ids included); the caller keeps parents before children. */
  write(table: TableName, rows: RawRow[]): Promise<void>;
}

export interface WorkspaceRepo {
  /** Deletes everything a workspace has (consultations, outcomes, jobs, settings, state); returns rows per table. */
  purge(workspace: string): Promise<Partial<Record<TableName, number>>>;
}

/** A subject the knowledge base has no topic for, and how often it was asked about. */
export interface DetectionGap {
  term: string;
  asks: number;
  lastSeen: number;
}

export interface GapRepo {
  /** Counts one question's missing terms (each at most once per call). */
  record(workspace: string, terms: readonly string[], now: number): Promise<void>;
  /** The most-asked missing terms of a workspace, or (operator view) summed over every workspace. */
  top(options: { workspace?: string; limit: number }): Promise<DetectionGap[]>;
}

export interface Store {
  readonly engine: Engine;
  gaps: GapRepo;
  consultations: ConsultationRepo;
  conversations: ConversationRepo;
  events: EventRepo;
  jobs: JobRepo;
  settings: SettingsRepo;
  installations: InstallationRepo;
  rateLimits: RateLimitRepo;
  workspaces: WorkspaceRepo;
  tables: TableAccess;
  /** Readiness: the database answers and has no pending migration. Throws when it cannot be reached. */
  check(): Promise<{ pendingMigrations: number }>;
  close(): Promise<void>;
}
