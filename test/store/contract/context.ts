// What every part of the contract suite shares: the engine under test, the store each test gets
// (opened before it, closed after it), and consultations built with known values.
import { afterEach, beforeEach } from 'vitest';
import type { NewConsultation, Store } from '../../../src/store/index.js';

/** How a test file hands its engine to the contract suite. */
export interface ContractEngine {
  /** A store on a new, empty, migrated database. Called once before each test, and again by tests that need a second store. */
  open(): Promise<Store>;
  /** After each test, once every store it opened is closed: remove what open() made. */
  cleanup?(): Promise<void>;
}

export interface StoreContext {
  /** The store of the current test. */
  readonly store: Store;
  /** Another store on another empty database, closed with the first. */
  open(): Promise<Store>;
}

export function storeContext(engine: ContractEngine): StoreContext {
  const opened: Store[] = [];
  let current: Store | undefined;
  const open = async (): Promise<Store> => {
    const store = await engine.open();
    opened.push(store);
    return store;
  };
  beforeEach(async () => {
    current = await open();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    current = undefined;
    await engine.cleanup?.();
  });
  return {
    get store(): Store {
      if (!current) throw new Error('no store outside a test');
      return current;
    },
    open,
  };
}

/** Past 2^31 ms, so 32-bit integer handling anywhere would show. */
export const START = Date.UTC(2025, 2, 3, 9, 30, 0);
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

let sequence = 0;

/**
 * A consultation with three predictions saved out of probability order and two estimates saved out of
 * kind order, so the store's ordering shows; text with quotes, accents and a newline.
 */
export function consultation(overrides: Partial<NewConsultation> = {}): NewConsultation {
  sequence += 1;
  const createdAt = overrides.createdAt ?? START;
  return {
    id: `rc-${String(sequence).padStart(8, '0')}`,
    workspace: 'T1',
    platform: 'slack',
    channel: 'C1',
    userId: 'U1',
    question: "Should we move everything to Kubernetes? It's \"big\" — déjà vu\nsecond line",
    topic: 'kubernetes',
    knowledgeVersion: 'kb-2025-03-01',
    answers: { team_size: 'small', on_call: 'none', 'ünïcode': 'ok' },
    verdict: 'not-yet',
    riskScore: 0.62,
    assessment: { verdict: 'not-yet', score: 0.62, reasons: ['ops', 'skills'], nested: { n: 1.5, flag: true, none: null } },
    // skills-gap without a severity, as predictions saved before severities were recorded.
    predictions: [
      { failureMode: 'cost-overrun', probability: 0.4, modelProbability: 0.45, horizonMonths: 12, severity: 'medium' },
      { failureMode: 'ops-burden', probability: 0.7, modelProbability: 0.62, horizonMonths: 6, severity: 'high' },
      { failureMode: 'skills-gap', probability: 0.55, modelProbability: 0.5, horizonMonths: 3 },
    ],
    // The time estimate shown was learned (its model quantiles differ); the cost one was the model's.
    estimates: [
      { kind: 'time', p10: 2, p50: 4.5, p90: 9, unit: 'months', model: { p10: 1.5, p50: 3, p90: 6.5 } },
      { kind: 'cost', p10: 50_000, p50: 120_000.5, p90: 400_000, unit: 'USD' },
    ],
    checkInAt: createdAt + 90 * DAY_MS,
    ...overrides,
    createdAt,
  };
}

/** Saves a consultation built from `overrides` and returns it. */
export async function saved(store: Store, overrides: Partial<NewConsultation> = {}): Promise<NewConsultation> {
  const c = consultation(overrides);
  await store.consultations.save(c);
  return c;
}

/** A prediction's id by failure mode. */
/** A random answer for each failure mode: happened (30%), did not (30%), "too early" (15%), or none given. */
export function randomAnswers(c: NewConsultation, random: () => number): Record<string, boolean | null> {
  const answers: Record<string, boolean | null> = {};
  for (const p of c.predictions) {
    const r = random();
    if (r < 0.3) answers[p.failureMode] = true;
    else if (r < 0.6) answers[p.failureMode] = false;
    else if (r < 0.75) answers[p.failureMode] = null;
  }
  return answers;
}

export async function predictionIds(store: Store, c: NewConsultation): Promise<Record<string, number>> {
  return Object.fromEntries((await store.consultations.predictions(c.workspace, c.id)).map((p) => [p.failureMode, p.id]));
}

/** Gives a workspace one of everything the store keeps, so purge and copy have every table to work on. */
export async function fillWorkspace(store: Store, workspace: string, at: number = START): Promise<NewConsultation> {
  const c = await saved(store, { workspace, createdAt: at });
  await store.consultations.recordOutcomes(workspace, c.id, { failureModes: { 'ops-burden': true }, actualCost: 150_000, story: { text: `Networking incidents in ${workspace}`, private: false, author: 'Ann' } }, 'U1', at + 100 * DAY_MS);
  await store.consultations.setVerdictUrl(workspace, c.id, `https://example.slack.com/archives/C1/p${at}`);
  await store.jobs.enqueue({ workspace, kind: 'digest', key: `digest:${workspace}:1`, dueAt: at + DAY_MS, payload: { week: 1 } }, at);
  await store.settings.setDigest(workspace, { channel: 'C-digest', platform: 'slack', weekday: 1, hour: 9, minute: 30, timeZone: 'Europe/Berlin' }, at);
  await store.conversations.put(workspace, 'slack', 'D1:1700000000.0001', { userId: 'U1', state: { question: 'q', topic: 'kubernetes', answers: { a: 'b' }, history: ['a'] }, messageRef: 'm1' }, at);
  await store.conversations.putReference(workspace, 'teams', 'user:U1', { conversation: { id: 'a:1' }, serviceUrl: 'https://smba.example/' }, at);
  await store.events.markProcessed(workspace, 'Ev1', at);
  await store.rateLimits.hit(workspace, 'U1', at, 10);
  await store.gaps.record(workspace, ['kafka'], at);
  await store.installations.put({ key: workspace, teamId: workspace, enterpriseId: null, enterpriseInstall: false, sealed: `sealed-${workspace}`, expiresAt: at + DAY_MS, updatedAt: at });
  await store.consultations.saveLearnedCalibration(workspace, await store.consultations.outcomeVersion(workspace), '{"learned":{}}', at);
  return c;
}
