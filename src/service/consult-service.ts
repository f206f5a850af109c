// The one place a consultation happens, whatever the surface: validate answers, assess, store the
// prediction and its check-in, and hand back a view model to render. Surfaces only translate.
import { createHash, randomBytes } from 'node:crypto';
import { assess, getTopic, type AssessOptions, type Assessment, type RangeAdjuster, type Recalibrator } from '../consult/assess.js';
import { detect, GENERAL, type Detection } from '../consult/detect.js';
import { validateAnswers } from '../consult/questionnaire.js';
import { ForbiddenError, InputError, NotFoundError } from '../errors.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { buildHistoryView } from '../present/history.js';
import { buildVerdictView, type VerdictView } from '../present/verdict.js';
import type { ConsultationRow, Decision, OutcomeInput, Platform } from '../store/types.js';
import type { Store } from '../store/index.js';
import { RecalibrationCache } from './recalibration.js';
import { loadWorkspaceHistory, parseHistory, type WorkspaceHistory } from './workspace-history.js';

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const MAX_QUESTION_LENGTH = 2000;
/** "What happened, in a sentence or two?" */
export const MAX_STORY_LENGTH = 1000;
export const DEFAULT_CHECK_IN_DAYS = 90;
const DAY_MS = 86_400_000;

export interface ConsultRequest {
  workspace: string;
  platform: Platform;
  channel: string | null;
  userId: string;
  question: string;
  topic: string;
  answers: Readonly<Record<string, string | number>>;
  /** Idempotency: a retried submission with the same id returns the stored consultation. */
  id?: string;
  checkInDays?: number;
  /** The message the question was taken from (a Slack message shortcut, a Teams message action). */
  sourceUrl?: string;
}

export interface ConsultResult {
  row: ConsultationRow;
  assessment: Assessment;
  view: VerdictView;
  /** The workspace's record on the topic as the verdict shows it; null when nobody asked before. */
  history: WorkspaceHistory | null;
  /** False when the id already existed (a retried delivery). */
  created: boolean;
}

// Crockford-ish base32, in ascending code-point order: fixed-width numbers in it sort as strings do.
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const MINUTE_MS = 60_000;

/** The minute of `atMs` in six base32 digits (enough until the year 4011). */
function minuteDigits(atMs: number): string {
  let minute = Math.floor(atMs / MINUTE_MS);
  let out = '';
  for (let i = 0; i < 6; i++, minute = Math.floor(minute / 32)) out = ID_ALPHABET[minute % 32]! + out;
  return out;
}

const idChars = (bytes: Uint8Array): string => Array.from(bytes.subarray(0, 8), (b) => ID_ALPHABET[b % 32]).join('');

/** A usable start time: a positive, finite number of milliseconds (anything else is left out of the id). */
const usableTime = (atMs: number | undefined): atMs is number => atMs !== undefined && Number.isFinite(atMs) && atMs > 0;

/**
 * `rc-` + the minute the decision began + 40 random bits. Ids that sort by time make every id index
 * (the consultation's, its predictions', estimates' and record's) grow at its end, where the pages are
 * already in memory; random ids put each new entry on a random page of indexes that grow with the
 * history, and on a big database each of those is a read from disk.
 */
export function newConsultationId(atMs: number): string {
  return `rc-${minuteDigits(atMs)}${idChars(randomBytes(8))}`;
}

/**
 * A deterministic consultation id from a delivery's own identity (a Slack view, a DM thread, a Teams
 * card), so a redelivered submission finds the consultation it already created. `startedAt` is when
 * the questionnaire began, as the delivery itself carries it (the modal's metadata, the thread's
 * timestamp), so a redelivery gives the same id and ids still sort by time; without it the id is the
 * hash alone, as before.
 */
export function consultationIdFromKey(key: string, startedAt?: number): string {
  const hash = idChars(createHash('sha256').update(key).digest());
  return usableTime(startedAt) ? `rc-${minuteDigits(startedAt)}${hash}` : `rc-${hash}`;
}

/** What a question tells the knowledge base's curator: the technology it named, else its unknown words. */
export function gapTerms(detection: Detection): string[] {
  if (detection.topic === null || (detection.topic !== GENERAL && !detection.unsure)) return [];
  if (detection.subject) return [detection.subject.toLowerCase()];
  return detection.unmatchedTerms.slice(0, 3);
}

export function checkQuestionText(question: string): string {
  const text = question.trim();
  if (text.length === 0) throw new InputError('The question is empty. Ask something like "should we use Kubernetes?".');
  if (text.length > MAX_QUESTION_LENGTH) {
    throw new InputError(`The question is ${text.length} characters long; the limit is ${MAX_QUESTION_LENGTH}. Shorten it and ask again.`);
  }
  return text;
}

/** A story as it will be kept: trimmed, at most MAX_STORY_LENGTH characters; empty means "no story". */
export function checkStory(story: { text: string; private: boolean; author?: string | null }): { text: string; private: boolean; author?: string | null } | null {
  const text = story.text.trim();
  if (text.length === 0) return null;
  if (text.length > MAX_STORY_LENGTH) {
    throw new InputError(`What happened is ${text.length} characters long; the limit is ${MAX_STORY_LENGTH}. A sentence or two is plenty.`);
  }
  return { ...story, text };
}

/** Where learning from outcomes comes from; `invalidate` is told when this process records an outcome. */
export interface RecalibrationSource {
  recalibrator(workspace: string): Promise<Recalibrator | undefined>;
  /** Learned cost and time ranges; a source without it leaves the knowledge base's ranges alone. */
  rangeAdjuster?(workspace: string): Promise<RangeAdjuster | undefined>;
  invalidate?(workspace: string): void;
}

export class ConsultService {
  constructor(
    readonly kb: KnowledgeBase,
    readonly store: Store,
    readonly clock: Clock = systemClock,
    /** Learning from outcomes; on by default, off (null) for benchmarks that compare raw figures. */
    private readonly recalibration: RecalibrationSource | null = new RecalibrationCache(store, () => clock.now()),
    /** Told about every new consultation (metrics). */
    private readonly onConsulted?: (topic: string, platform: Platform) => void,
  ) {}

  /**
   * Detects the topic. Given the workspace, a question that fell to the general assessment or left
   * detection unsure also counts its missing subject toward `kb gaps`; that write is not waited for, and
   * its failure only costs a count, never the user's answer.
   */
  detect(text: string, workspace?: string): Detection {
    const detection = detect(this.kb, text);
    if (workspace !== undefined) {
      const terms = gapTerms(detection);
      if (terms.length > 0) this.store.gaps.record(workspace, terms, this.clock.now()).catch(() => undefined);
    }
    return detection;
  }

  /** The most-asked subjects the knowledge base has no topic for, in a workspace (or every workspace). */
  gaps(workspace: string | undefined, limit = 20): ReturnType<Store['gaps']['top']> {
    return this.store.gaps.top({ ...(workspace ? { workspace } : {}), limit });
  }

  async consult(req: ConsultRequest): Promise<ConsultResult> {
    const question = checkQuestionText(req.question);
    const topic = getTopic(this.kb, req.topic);
    if (req.id) {
      // One look-up by id: this workspace's own (a redelivery) is returned, another's refused.
      const existing = await this.store.consultations.getForOperator(req.id);
      if (existing?.workspace === req.workspace) return { ...this.render(existing), created: false };
      if (existing) throw new InputError(`Consultation id "${req.id}" is already taken.`);
    }
    const answers = validateAnswers(topic, req.answers);
    const options: AssessOptions = {};
    const recalibrate = await this.recalibration?.recalibrator(req.workspace);
    if (recalibrate) options.recalibrate = recalibrate;
    const adjustRange = await this.recalibration?.rangeAdjuster?.(req.workspace);
    if (adjustRange) options.adjustRange = adjustRange;
    const assessment = assess(this.kb, topic.id, answers, options);
    const now = this.clock.now();
    // As of the moment of asking, saved with the verdict: a re-render (Explain, ADR) shows what was shown.
    const history = await loadWorkspaceHistory(this.store, req.workspace, topic.id, assessment.failureModes.map((f) => f.id), now);
    const id = req.id ?? newConsultationId(now);
    const checkInAt = now + (req.checkInDays ?? DEFAULT_CHECK_IN_DAYS) * DAY_MS;
    const row = await this.store.consultations.save({
      id,
      workspace: req.workspace,
      platform: req.platform,
      channel: req.channel,
      userId: req.userId,
      question,
      topic: topic.id,
      knowledgeVersion: this.kb.version,
      answers,
      verdict: assessment.verdict,
      riskScore: assessment.riskScore,
      assessment,
      predictions: assessment.failureModes.map((fm) => ({
        failureMode: fm.id,
        probability: fm.probability,
        modelProbability: fm.modelProbability,
        horizonMonths: fm.horizonMonths,
        severity: fm.severity,
      })),
      estimates: [
        { kind: 'cost', p10: assessment.cost.p10, p50: assessment.cost.p50, p90: assessment.cost.p90, unit: 'USD', model: assessment.cost.model },
        { kind: 'time', p10: assessment.time.p10, p50: assessment.time.p50, p90: assessment.time.p90, unit: 'months', model: assessment.time.model },
      ],
      createdAt: now,
      checkInAt,
      history,
      ...(req.sourceUrl ? { sourceUrl: req.sourceUrl } : {}),
    });
    this.onConsulted?.(topic.id, req.platform);
    return { ...this.render(row, history), created: true };
  }

  /**
   * The stored assessment re-rendered: what was predicted then, not what the engine says now. A new
   * consultation passes the record it just summarised; a stored one's is parsed back from its row.
   */
  render(row: ConsultationRow, fresh?: WorkspaceHistory | null): { row: ConsultationRow; assessment: Assessment; view: VerdictView; history: WorkspaceHistory | null } {
    const assessment = row.assessment as Assessment;
    const view = buildVerdictView(assessment, { consultationId: row.id, question: row.question, checkInAt: row.checkInAt });
    const history = fresh === undefined ? parseHistory(row.history) : fresh;
    if (history) {
      const failureModeNames = new Map(assessment.failureModes.map((f) => [f.id, f.name]));
      view.history = buildHistoryView(history, { topicTitle: assessment.title, failureModeNames });
    }
    if (row.sourceUrl) view.sourceUrl = row.sourceUrl;
    return { row, assessment, view, history };
  }

  /** The workspace's past decisions: best match first for words, else newest first. */
  async findDecisions(workspace: string, query: { words?: string; topic?: string; userId?: string; limit?: number }): Promise<Decision[]> {
    const words = query.words?.trim();
    return this.store.consultations.decisions(workspace, {
      limit: Math.min(Math.max(1, query.limit ?? 10), 100),
      ...(words ? { words } : {}),
      ...(query.topic ? { topic: query.topic } : {}),
      ...(query.userId ? { userId: query.userId } : {}),
    });
  }

  async get(workspace: string, id: string): Promise<ConsultationRow> {
    const row = await this.store.consultations.get(workspace, id);
    if (!row) throw new NotFoundError(`No consultation "${id}" in this workspace. \`list\` shows your consultations.`);
    return row;
  }

  /** Only the asker or a workspace admin may record what happened. */
  async resolve(workspace: string, id: string, actor: { userId: string; isAdmin: boolean }, outcomes: OutcomeInput): Promise<ConsultationRow> {
    const row = await this.get(workspace, id);
    if (row.userId !== actor.userId && !actor.isAdmin) {
      throw new ForbiddenError(`Only the person who asked (or a workspace admin) can record outcomes for ${id}.`);
    }
    const known = new Set((await this.store.consultations.predictions(workspace, id)).map((p) => p.failureMode));
    for (const key of Object.keys(outcomes.failureModes)) {
      if (!known.has(key)) throw new InputError(`"${key}" is not a failure mode of ${id}. Expected one of: ${[...known].join(', ')}.`);
    }
    for (const [name, value] of [['actualCost', outcomes.actualCost], ['actualMonths', outcomes.actualMonths]] as const) {
      if (value !== undefined && value !== null && !(Number.isFinite(value) && value >= 0)) {
        throw new InputError(`${name} must be a number of at least 0; got ${String(value)}.`);
      }
    }
    const story = outcomes.story === undefined || outcomes.story === null ? outcomes.story : checkStory(outcomes.story);
    await this.store.consultations.recordOutcomes(workspace, id, { ...outcomes, ...(story === undefined ? {} : { story }) }, actor.userId, this.clock.now());
    this.recalibration?.invalidate?.(workspace);
    return await this.get(workspace, id);
  }
}
