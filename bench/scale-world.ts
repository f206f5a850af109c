// The scale benchmark's world, written through the store: 10,000 workspaces, 1.1 million consultations
// with real assessments (10 million predictions, half resolved), one pending check-in job each, an
// installation and digest job per workspace, and the last hour's per-user state (rate-limit counters,
// DM questionnaires, dedupe keys) of 100,000 distinct people. Deterministic and resumable by chunk.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { assess } from '../src/consult/assess.js';
import { advance, currentStep, startConversation, type ConversationState } from '../src/consult/conversation.js';
import type { KnowledgeBase } from '../src/knowledge/load.js';
import { RecalibrationCache } from '../src/service/recalibration.js';
import { Sealer } from '../src/slack/oauth/seal.js';
import { outcomeRecord } from '../src/store/decisions.js';
import { contribution, SCORING_KEY, SCORING_SUMS, scoringMoves, TOTAL_COLUMNS, type ScoringFacts, type ScoringRow, type Totals } from '../src/store/stats.js';
import type { RawRow, Store, TableName } from '../src/store/types.js';

/** BENCH_SCALE_WORLD=small builds a world a hundredth the size, for trying the benchmark out quickly. */
const SMALL = process.env.BENCH_SCALE_WORLD === 'small';

export const WORLD = {
  workspaces: SMALL ? 100 : 10_000,
  /** 9 failure modes per assessment (every topic has 9): 10,000,008 predictions. */
  consultations: SMALL ? 11_112 : 1_111_112,
  usersPerWorkspace: 20,
  /** Distinct people of the last hour in every per-user structure. */
  recentUsers: SMALL ? 1_000 : 100_000,
  /** Workspaces that set their own digest (the rest use DIGEST_CHANNEL when it is set). */
  digestEvery: 10,
} as const;

const CHUNK = 5_000;
const DAY = 86_400_000;
const QUESTIONS = ['should we use kubernetes for our platform?', 'should we split the monolith into microservices?', 'do we need a distributed database?', 'how should we serve our ML models?', 'should we build a prompt pipeline?', 'should we move to zero trust networking?', 'should we rewrite the billing service?'];

export const workspaceId = (w: number): string => `TS${String(w).padStart(5, '0')}`;
export const userOf = (w: number, u: number): string => `U${w}x${u}`;
export const consultationId = (i: number): string => `rc-w${String(i).padStart(7, '0')}`;

/** A fixed key, so the app under test (TOKEN_ENCRYPTION_KEY) opens the installations the world sealed. */
export const WORLD_KEY = Buffer.alloc(32, 7).toString('base64');

/** A 32-bit hash of (i, salt) → [0, 1): each row's randomness depends on nothing but its index. */
export function unit(i: number, salt: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

export interface Variant {
  topic: string;
  answers: Record<string, string>;
  answersJson: string;
  assessmentJson: string;
  verdict: string;
  riskScore: number;
  predictions: Array<{ failureMode: string; probability: number; modelProbability: number; horizonMonths: number }>;
  cost: { p10: number; p50: number; p90: number };
  time: { p10: number; p50: number; p90: number };
}

/** A complete set of answers picked at random, the way a person walks the questionnaire. */
export function randomAnswers(kb: KnowledgeBase, topic: string, pick: () => number): Record<string, string> {
  let state: ConversationState = startConversation(kb, 'q', topic);
  for (let step = currentStep(kb, state); step.kind === 'question'; step = currentStep(kb, state)) {
    const choice = step.question.choices[Math.floor(pick() * step.question.choices.length)]!;
    state = advance(kb, state, { kind: 'answer', questionId: step.question.id, choice: choice.id });
  }
  return state.answers;
}

/** Real assessments (what the app stores, ~15–21 KB of JSON each), a few per topic. */
export function variants(kb: KnowledgeBase, perTopic = 6): Variant[] {
  const out: Variant[] = [];
  let seed = 0;
  for (const topic of kb.topics.keys()) {
    for (let v = 0; v < perTopic; v++) {
      const answers = randomAnswers(kb, topic, () => unit(seed++, 99));
      const a = assess(kb, topic, answers);
      out.push({
        topic, answers, answersJson: JSON.stringify(answers), assessmentJson: JSON.stringify(a), verdict: a.verdict, riskScore: a.riskScore,
        predictions: a.failureModes.map((f) => ({ failureMode: f.id, probability: f.probability, modelProbability: f.modelProbability, horizonMonths: f.horizonMonths })),
        cost: a.cost, time: a.time,
      });
    }
  }
  return out;
}

interface Layout {
  variantOf: Uint16Array;
  /** Rows of each table before consultation i (prefix sums), for deterministic ids. */
  predictionsBefore: Float64Array;
  outcomesBefore: Float64Array;
}

/** Every other round of consultations is resolved, so each workspace has half of its own resolved. */
const resolved = (i: number): boolean => Math.floor(i / WORLD.workspaces) % 2 === 0;
const notAdopted = (i: number): boolean => i % 97 === 96;

function layout(vs: Variant[], n: number): Layout {
  const variantOf = new Uint16Array(n);
  const predictionsBefore = new Float64Array(n + 1);
  const outcomesBefore = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = Math.floor(unit(i, 1) * vs.length);
    variantOf[i] = v;
    const f = vs[v]!.predictions.length;
    predictionsBefore[i + 1] = predictionsBefore[i]! + f;
    outcomesBefore[i + 1] = outcomesBefore[i]! + (resolved(i) ? f + 2 : 0);
  }
  return { variantOf, predictionsBefore, outcomesBefore };
}

type ChunkRows = Record<'consultations' | 'predictions' | 'estimates' | 'outcomes' | 'scheduled_jobs', RawRow[]>;

/** Consultation i as the world has it: where, when, which assessment, and what happened. */
function facts(vs: Variant[], lay: Layout, now: number, i: number) {
  const w = i % WORLD.workspaces;
  const v = vs[lay.variantOf[i]!]!;
  const createdAt = now - Math.floor(unit(i, 2) * 365 * DAY) - 3_600_000;
  const isResolved = resolved(i);
  return {
    w, workspace: workspaceId(w), v, id: consultationId(i), createdAt,
    checkInAt: now + DAY + Math.floor(unit(i, 3) * 364 * DAY),
    userId: userOf(w, Math.floor(i / WORLD.workspaces) % WORLD.usersPerWorkspace),
    recordedAt: createdAt + Math.floor(unit(i, 4) * (now - createdAt)),
    happened: v.predictions.map((p, k) => (isResolved ? (unit(i, 10 + k) < p.probability ? 1 : 0) : null)),
    actual: (kind: 'cost' | 'time'): number | null => {
      const e = kind === 'cost' ? v.cost : v.time;
      return isResolved ? Math.round(e.p10 + (e.p90 - e.p10) * 1.4 * unit(i, kind === 'cost' ? 30 : 31)) : null;
    },
  };
}

/** Consultations [from, to) and everything that hangs off them, as `save` and `recordOutcomes` write them. */
function chunkRows(vs: Variant[], lay: Layout, kbVersion: string, now: number, from: number, to: number): ChunkRows {
  const rows: ChunkRows = { consultations: [], predictions: [], estimates: [], outcomes: [], scheduled_jobs: [] };
  for (let i = from; i < to; i++) {
    const { w, workspace, v, id, createdAt, checkInAt, userId, recordedAt, happened, actual } = facts(vs, lay, now, i);
    rows.consultations.push({
      id, workspace, platform: 'slack', channel: `C${w}`, user_id: userId, question: QUESTIONS[i % QUESTIONS.length]!, topic: v.topic,
      knowledge_version: kbVersion, answers_json: v.answersJson, verdict: v.verdict, risk_score: v.riskScore, assessment_json: v.assessmentJson,
      created_at: createdAt, check_in_at: checkInAt, not_adopted: notAdopted(i) ? 1 : 0,
      record_json: outcomeRecord(
        v.predictions.map((p, k) => ({ failureMode: p.failureMode, happened: happened[k]! as 0 | 1 | null })),
        (['cost', 'time'] as const).map((kind) => ({ kind, p50: v[kind].p50, actual: actual(kind) })),
      ),
    });
    let pid = lay.predictionsBefore[i]! + 1;
    let oid = lay.outcomesBefore[i]! + 1;
    for (const [k, p] of v.predictions.entries()) {
      rows.predictions.push({
        id: pid, consultation_id: id, workspace, topic: v.topic, failure_mode: p.failureMode, probability: p.probability,
        model_probability: p.modelProbability, horizon_months: p.horizonMonths, knowledge_version: kbVersion, created_at: createdAt,
      });
      if (happened[k] !== null) {
        rows.outcomes.push({ id: oid++, workspace, prediction_id: pid, estimate_id: null, happened: happened[k]!, actual_value: null, recorded_by: userId, recorded_at: recordedAt });
      }
      pid++;
    }
    for (const [k, e] of [['cost', v.cost], ['time', v.time]] as const) {
      const eid = 2 * i + (k === 'cost' ? 1 : 2);
      rows.estimates.push({ id: eid, consultation_id: id, workspace, kind: k, p10: e.p10, p50: e.p50, p90: e.p90, unit: k === 'cost' ? 'USD' : 'months' });
      const value = actual(k);
      if (value !== null) {
        rows.outcomes.push({ id: oid++, workspace, prediction_id: null, estimate_id: eid, happened: null, actual_value: value, recorded_by: userId, recorded_at: recordedAt });
      }
    }
    rows.scheduled_jobs.push({
      id: i + 1, workspace, kind: 'check-in', job_key: `check-in:${id}`, due_at: checkInAt, payload_json: JSON.stringify({ consultationId: id }),
      attempts: 0, last_error: null, lease_until: null, done_at: null, created_at: createdAt,
    });
  }
  return rows;
}

/** Every workspace's running totals, counted from the same facts with the store's own rule (stats.ts). */
function statsRows(vs: Variant[], lay: Layout, now: number, n: number): RawRow[] {
  const rows = new Map<string, RawRow & Totals>();
  for (let i = 0; i < n; i++) {
    const f = facts(vs, lay, now, i);
    const add = contribution({
      notAdopted: notAdopted(i),
      predictions: f.v.predictions.map((p, k) => ({ probability: p.probability, happened: f.happened[k] as 0 | 1 | null })),
      estimates: (['cost', 'time'] as const).map((kind) => ({ kind, p10: (kind === 'cost' ? f.v.cost : f.v.time).p10, p90: (kind === 'cost' ? f.v.cost : f.v.time).p90, actual: f.actual(kind) })),
    });
    let row = rows.get(f.workspace);
    if (!row) {
      row = { workspace: f.workspace, platform: 'slack', first_at: f.createdAt, first_id: f.id, consultations: 0, outcome_version: 0, ...contribution({ notAdopted: true, predictions: [], estimates: [] }) };
      rows.set(f.workspace, row);
    }
    if (f.createdAt < Number(row.first_at) || (f.createdAt === row.first_at && f.id < String(row.first_id))) Object.assign(row, { first_at: f.createdAt, first_id: f.id });
    row.consultations = Number(row.consultations) + 1;
    row.outcome_version = Number(row.outcome_version) + (resolved(i) ? f.v.predictions.length + 2 : 0);
    for (const c of TOTAL_COLUMNS) row[c] += add[c];
  }
  return [...rows.values()].sort((a, b) => (String(a.workspace) < String(b.workspace) ? -1 : 1));
}

/**
 * One workspace's scoring sums (the scoring_groups rows), moved with the store's own rule (stats.ts) for
 * each of its consultations as its outcomes were recorded; the world's workspaces are i ≡ w (mod workspaces).
 */
function scoringRows(vs: Variant[], lay: Layout, kbVersion: string, now: number, n: number, w: number): RawRow[] {
  const sums = new Map<string, ScoringRow>();
  for (let i = w; i < n; i += WORLD.workspaces) {
    const f = facts(vs, lay, now, i);
    const open = f.v.predictions.map((p) => ({ failureMode: p.failureMode, probability: p.probability, severity: null, happened: null }));
    const stored: ScoringFacts = { not_adopted: notAdopted(i) ? 1 : 0, topic: f.v.topic, knowledge_version: kbVersion, followed_alternative: null };
    const after = open.map((p, k) => ({ ...p, happened: f.happened[k] as 0 | 1 | null }));
    for (const move of scoringMoves(f.id, stored, { notAdopted: notAdopted(i), predictions: open }, { notAdopted: notAdopted(i), predictions: after }, undefined)) {
      const key = JSON.stringify(SCORING_KEY.map((k) => move[k]));
      const row = sums.get(key);
      if (!row) sums.set(key, { ...move });
      else for (const c of SCORING_SUMS) row[c] += move[c];
    }
  }
  return [...sums.values()].filter((r) => r.n !== 0).map((r) => ({ workspace: workspaceId(w), ...r }));
}

const ORDER = ['consultations', 'predictions', 'estimates', 'outcomes', 'scheduled_jobs'] as const satisfies readonly TableName[];

export interface WorldReport {
  built: boolean;
  seconds: number;
  counts: Record<TableName, number>;
}

/**
 * Writes whatever of the world is missing. The bulk goes through `store.tables.write` (rows exactly as
 * `save` and `recordOutcomes` write them, one transaction per table and chunk); each table's progress is
 * its row count, so an interrupted build resumes at the chunk and table it stopped in. The per-workspace
 * rows (installations, digest settings and jobs) go through the ordinary repository calls.
 */
export async function ensureWorld(store: Store, kb: KnowledgeBase, now: number, log: (line: string) => void): Promise<WorldReport> {
  const started = performance.now();
  let counts = await store.tables.counts();
  if (counts.consultations >= WORLD.consultations && counts.installations >= WORLD.workspaces && counts.workspace_stats >= WORLD.workspaces && counts.workspace_calibration >= WORLD.workspaces && counts.scoring_groups > 0) {
    return { built: false, seconds: 0, counts };
  }
  // A resumed build keeps the instant the first part was built for.
  if (counts.consultations > 0) now = await worldNow(store);
  const vs = variants(kb);
  const n = WORLD.consultations;
  const lay = layout(vs, n);
  const expected = (table: (typeof ORDER)[number], upTo: number): number =>
    table === 'predictions' ? lay.predictionsBefore[upTo]! : table === 'outcomes' ? lay.outcomesBefore[upTo]! : table === 'estimates' ? 2 * upTo : upTo;
  let lastLog = performance.now();
  for (let from = 0; from < n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK);
    const missing = ORDER.filter((t) => counts[t] < expected(t, to));
    if (missing.length === 0) continue;
    for (const t of missing) {
      if (counts[t] !== expected(t, from)) throw new Error(`The world's ${t} table has ${counts[t]} rows, which is not a chunk boundary (${expected(t, from)} expected): it was changed by something else. Delete it and build again.`);
    }
    const rows = chunkRows(vs, lay, kb.version, now, from, to);
    for (const t of missing) {
      await store.tables.write(t, rows[t]);
      counts[t] += rows[t].length;
    }
    if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      const rate = to / ((performance.now() - started) / 1000);
      log(`  world: ${to.toLocaleString()} of ${n.toLocaleString()} consultations (${rate.toFixed(0)}/s, ${((n - to) / rate / 60).toFixed(1)} min left)`);
    }
  }
  log(`  world: consultations written in ${((performance.now() - started) / 1000).toFixed(0)} s; totals, installations, digest settings and jobs next`);
  // The running totals save() and recordOutcomes() keep (a database from before them gets them from the migration).
  if (counts.workspace_stats === 0) {
    const stats = statsRows(vs, lay, now, n);
    for (let from = 0; from < stats.length; from += 2_000) await store.tables.write('workspace_stats', stats.slice(from, from + 2_000));
  }
  // The digest's sums (scoring_groups), as recordOutcomes moves them.
  if (counts.scoring_groups === 0) {
    let batch: RawRow[] = [];
    for (let w = 0; w < WORLD.workspaces; w++) {
      batch.push(...scoringRows(vs, lay, kb.version, now, n, w));
      if (batch.length >= 5_000 || w === WORLD.workspaces - 1) {
        await store.tables.write('scoring_groups', batch);
        batch = [];
      }
    }
  }
  const sealer = new Sealer(Buffer.from(WORLD_KEY, 'base64'));
  await inParallel(WORLD.workspaces, 8, async (w) => {
    const teamId = workspaceId(w);
    const installation = { team: { id: teamId, name: `scale ${w}` }, enterprise: undefined, isEnterpriseInstall: false, user: { id: userOf(w, 0), token: undefined, scopes: undefined }, bot: { id: 'BBOT', userId: 'UBOT', token: `xoxb-scale-${w}`, scopes: ['commands', 'chat:write'] }, tokenType: 'bot', appId: 'A1', authVersion: 'v2' };
    await store.installations.put({ key: teamId, teamId, enterpriseId: null, enterpriseInstall: false, sealed: sealer.seal(JSON.stringify(installation), teamId), expiresAt: null, updatedAt: now });
    if (w % WORLD.digestEvery === 0) await store.settings.setDigest(teamId, { channel: `C${w}`, platform: 'slack', weekday: 1 + (w % 7), hour: 9, minute: 0, timeZone: 'Europe/Berlin' }, now);
    await store.jobs.enqueue({ workspace: teamId, kind: 'digest', key: `digest:${teamId}:scale`, dueAt: now + 2 * DAY + (w % 5) * DAY }, now);
  });
  // Each workspace's learned calibration, as the app keeps it after its first consultation (through
  // the app's own RecalibrationCache).
  if (counts.workspace_calibration < WORLD.workspaces) {
    const learning = performance.now();
    const cache = new RecalibrationCache(store, () => now, 30_000, 100);
    await inParallel(WORLD.workspaces, 4, async (w) => void (await cache.learned(workspaceId(w))));
    log(`  world: learned calibrations of ${WORLD.workspaces.toLocaleString()} workspaces in ${((performance.now() - learning) / 1000).toFixed(0)} s`);
  }
  counts = await store.tables.counts();
  return { built: true, seconds: (performance.now() - started) / 1000, counts };
}

/** Runs fn(0..n-1) with at most `concurrency` in flight. */
export async function inParallel(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

/** A DM questionnaire in progress, as the app stores it after the first step was posted. */
export function dmState(kb: KnowledgeBase, topic = 'kubernetes'): ConversationState {
  return startConversation(kb, 'should we use kubernetes?', topic);
}

/**
 * The last hour's per-user state of `users` distinct people, through the repositories the app uses:
 * one rate-limit hit, one DM questionnaire in progress and one dedupe key each, in place of any earlier
 * run's. Returns seconds taken.
 */
export async function writeRecentUsers(store: Store, kb: KnowledgeBase, now: number, users: number, concurrency = 8, workspaceOf = (n: number) => workspaceId(n % WORLD.workspaces)): Promise<number> {
  const started = performance.now();
  // What earlier runs left (their recent people, their requests' questionnaires and keys) goes first,
  // through the prunes housekeeping uses, so the world holds the people of this hour and no more.
  for (const prune of [(n: number) => store.rateLimits.prune(now, n), (n: number) => store.events.prune(now, n), (n: number) => store.conversations.prune(now, n)]) {
    while ((await prune(10_000)) > 0);
  }
  const run = randomBytes(3).toString('hex');
  const state = dmState(kb);
  await inParallel(users, concurrency, async (n) => {
    const workspace = workspaceOf(n);
    const user = `UR${run}x${n}`;
    await store.rateLimits.hit(workspace, user, now, 10_000);
    await store.conversations.put(workspace, 'slack', `D${run}x${n}:1800000000.000100`, { userId: user, state, messageRef: '1800000000.000200' }, now);
    await store.events.markProcessed(workspace, `event:Ev${run}x${n}`, now);
  });
  return (performance.now() - started) / 1000;
}

/** The instant the world was built for (its consultations are dated before it, its jobs after it). */
export async function worldNow(store: Store): Promise<number> {
  const first = await store.consultations.getForOperator(consultationId(0));
  if (!first) throw new Error('The world has no consultations yet.');
  return first.createdAt + Math.floor(unit(0, 2) * 365 * DAY) + 3_600_000;
}
