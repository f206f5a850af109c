// ConsultService over a real SQLite store: what a consultation saves (one prediction per failure mode,
// the estimates, the check-in job, the knowledge version), NOT_FOUND across workspaces, who may
// resolve, input validation and idempotency. What the store itself promises is in test/store/contract.
// Moved from test/store/consultations.test.ts when the store became async; every service call is
// awaited, so these hold whether ConsultService's methods return values or promises.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextQuestion } from '../../src/consult/questionnaire.js';
import { AppError } from '../../src/errors.js';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load.js';
import type { Topic } from '../../src/knowledge/schema.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { ConsultService, newConsultationId, type Clock, type ConsultRequest } from '../../src/service/consult-service.js';
import { openStore, type Store, type TableName } from '../../src/store/index.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const DAY_MS = 86_400_000;
const START = Date.UTC(2025, 2, 3, 9, 30, 0);
const TOPIC = 'kubernetes';

class FakeClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

/** The first choice of every question that applies, in the order the questionnaire asks them. */
function firstChoiceAnswers(topic: Topic): Record<string, string> {
  const answers: Record<string, string> = {};
  for (let q = nextQuestion(topic, answers); q; q = nextQuestion(topic, answers)) answers[q.id] = q.choices[0]!.id;
  return answers;
}

async function expectAppError(fn: () => unknown, code: string): Promise<AppError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  }
  throw new Error(`expected an AppError with code ${code}`);
}

let kb: KnowledgeBase;
let topic: Topic;
let answers: Record<string, string>;
let store: Store;
let clock: FakeClock;
let service: ConsultService;

beforeAll(() => {
  kb = loadKnowledge(KNOWLEDGE_DIR);
  topic = kb.topics.get(TOPIC)!;
  answers = firstChoiceAnswers(topic);
});

beforeEach(async () => {
  store = await openStore({ path: join(makeTempDir(), 'data', 'rc.db') }, { now: START });
  clock = new FakeClock(START);
  service = new ConsultService(kb, store, clock);
});

afterEach(async () => {
  await store.close();
});

afterAll(() => removeTempDirs());

function request(overrides: Partial<ConsultRequest> = {}): ConsultRequest {
  return {
    workspace: 'T1',
    platform: 'slack',
    channel: 'C1',
    userId: 'U1',
    question: 'Should we move everything to Kubernetes?',
    topic: TOPIC,
    answers,
    ...overrides,
  };
}

const count = async (table: TableName): Promise<number> => (await store.tables.counts())[table];

describe('the test fixture', () => {
  it('answers every applicable question of the topic with a choice it has', () => {
    expect(Object.keys(answers).length).toBeGreaterThan(0);
    expect(nextQuestion(topic, answers)).toBeUndefined();
    for (const [questionId, choiceId] of Object.entries(answers)) {
      const question = topic.questions.find((q) => q.id === questionId)!;
      expect(question.choices.map((c) => c.id)).toContain(choiceId);
    }
  });
});

describe('ConsultService.consult saves a consultation', () => {
  it('with one prediction per failure mode, matching the assessment', async () => {
    const { row, assessment, created } = await service.consult(request());
    expect(created).toBe(true);

    const predictions = await store.consultations.predictions('T1', row.id);
    expect(predictions.map((p) => p.failureMode).sort()).toEqual(topic.failureModes.map((f) => f.id).sort());
    const byMode = new Map(assessment.failureModes.map((f) => [f.id, f]));
    for (const p of predictions) {
      const assessed = byMode.get(p.failureMode)!;
      expect(p.probability).toBe(assessed.probability);
      expect(p.modelProbability).toBe(assessed.modelProbability);
      expect(p.horizonMonths).toBe(assessed.horizonMonths);
      expect(p.probability).toBeGreaterThan(0);
      expect(p.probability).toBeLessThan(1);
      expect(p.happened).toBeNull();
      expect(p.applicable).toBe(true);
    }
    // Highest probability first.
    const probabilities = predictions.map((p) => p.probability);
    expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
  });

  it('with a cost and a time estimate taken from the assessment', async () => {
    const { row, assessment } = await service.consult(request());
    const estimates = await store.consultations.estimates('T1', row.id);
    expect(estimates.map((e) => e.kind)).toEqual(['cost', 'time']);
    const [cost, time] = estimates;
    expect(cost).toMatchObject({ p10: assessment.cost.p10, p50: assessment.cost.p50, p90: assessment.cost.p90, unit: 'USD', actual: null });
    expect(time).toMatchObject({ p10: assessment.time.p10, p50: assessment.time.p50, p90: assessment.time.p90, unit: 'months', actual: null });
    for (const e of estimates) {
      expect(e.p10).toBeLessThanOrEqual(e.p50);
      expect(e.p50).toBeLessThanOrEqual(e.p90);
    }
  });

  it('with exactly one check-in job due 90 days after the injected clock', async () => {
    const { row } = await service.consult(request());
    expect(row.createdAt).toBe(START);
    expect(row.checkInAt).toBe(START + 90 * DAY_MS);
    const jobs = (await store.tables.read('scheduled_jobs', 0, 10)).map(({ workspace, kind, job_key, due_at, payload_json, done_at, created_at }) => ({ workspace, kind, job_key, due_at, payload_json, done_at, created_at }));
    expect(jobs).toEqual([
      {
        workspace: 'T1',
        kind: 'check-in',
        job_key: `check-in:${row.id}`,
        due_at: START + 90 * DAY_MS,
        payload_json: JSON.stringify({ consultationId: row.id }),
        done_at: null,
        created_at: START,
      },
    ]);
  });

  it('honours a custom check-in period', async () => {
    const { row } = await service.consult(request({ checkInDays: 30 }));
    expect((await store.jobs.get(`check-in:${row.id}`))?.dueAt).toBe(START + 30 * DAY_MS);
  });

  it('recording the knowledge version, the normalised answers and who asked where', async () => {
    const { row } = await service.consult(request({ question: '   Should we move everything to Kubernetes?  ' }));
    const stored = (await store.consultations.get('T1', row.id))!;
    expect(stored).toMatchObject({
      workspace: 'T1',
      platform: 'slack',
      channel: 'C1',
      userId: 'U1',
      question: 'Should we move everything to Kubernetes?',
      topic: TOPIC,
      knowledgeVersion: kb.version,
      answers,
      notAdopted: false,
    });
    expect(stored.id).toMatch(/^rc-[0-9a-z]{14}$/);
    expect(stored.id.slice(0, 9)).toBe(newConsultationId(START).slice(0, 9)); // made at the clock's minute
    const versions = new Set((await store.tables.read('predictions', 0, 1000)).filter((p) => p.consultation_id === row.id).map((p) => p.knowledge_version));
    expect(versions).toEqual(new Set([kb.version]));
  });

  it('accepting 1-based choice numbers and storing the choice ids', async () => {
    const numbered = Object.fromEntries(Object.keys(answers).map((k) => [k, 1]));
    const { row } = await service.consult(request({ answers: numbered }));
    expect(row.answers).toEqual(answers);
  });
});

describe('workspace scoping', () => {
  it('get() in another workspace finds nothing, and the service says NOT_FOUND', async () => {
    const { row } = await service.consult(request());
    expect((await store.consultations.get('T1', row.id))?.id).toBe(row.id);
    expect(await store.consultations.get('T2', row.id)).toBeUndefined();
    await expectAppError(() => service.get('T2', row.id), 'NOT_FOUND');
  });
});

describe('ConsultService.resolve', () => {
  it('refuses another user who is not an admin, and records nothing', async () => {
    const { row } = await service.consult(request());
    const mode = (await store.consultations.predictions('T1', row.id))[0]!.failureMode;
    const error = await expectAppError(() => service.resolve('T1', row.id, { userId: 'U2', isAdmin: false }, { failureModes: { [mode]: true } }), 'FORBIDDEN');
    expect(error.message).toContain(row.id);
    expect(await count('outcomes')).toBe(0);
  });

  it('accepts an admin who did not ask, and the asker, stamping the clock time', async () => {
    const { row } = await service.consult(request());
    const [m0, m1] = await store.consultations.predictions('T1', row.id);
    clock.t = START + 95 * DAY_MS;
    await service.resolve('T1', row.id, { userId: 'U-admin', isAdmin: true }, { failureModes: { [m0!.failureMode]: true } });
    clock.t = START + 96 * DAY_MS;
    await service.resolve('T1', row.id, { userId: 'U1', isAdmin: false }, { failureModes: { [m1!.failureMode]: false } });

    const outcomes = (await store.tables.read('outcomes', 0, 10))
      .map((o) => ({ by: o.recorded_by, at: o.recorded_at, happened: o.happened }))
      .sort((a, b) => Number(a.at) - Number(b.at));
    expect(outcomes).toEqual([
      { by: 'U-admin', at: START + 95 * DAY_MS, happened: 1 },
      { by: 'U1', at: START + 96 * DAY_MS, happened: 0 },
    ]);
  });

  it('rejects an unknown failure mode and a negative actual, and does not look across workspaces', async () => {
    const { row } = await service.consult(request());
    const actor = { userId: 'U1', isAdmin: false };
    const unknown = await expectAppError(() => service.resolve('T1', row.id, actor, { failureModes: { 'not-a-mode': true } }), 'INPUT_INVALID');
    expect(unknown.message).toContain('not-a-mode');
    await expectAppError(() => service.resolve('T1', row.id, actor, { failureModes: {}, actualCost: -1 }), 'INPUT_INVALID');
    await expectAppError(() => service.resolve('T2', row.id, { userId: 'U1', isAdmin: true }, { failureModes: {} }), 'NOT_FOUND');
    expect(await count('outcomes')).toBe(0);
  });
});

describe('ConsultService.consult validation', () => {
  it('an invalid answer raises ANSWER_INVALID naming the question, and saves nothing', async () => {
    const question = topic.questions[0]!;
    const error = await expectAppError(() => service.consult(request({ answers: { ...answers, [question.id]: 'definitely-not-a-choice' } })), 'ANSWER_INVALID');
    expect(error.message).toContain(question.text);
    expect(error.message).toContain('definitely-not-a-choice');
    expect((error as AppError & { questionId: string }).questionId).toBe(question.id);
    expect(await count('consultations')).toBe(0);
  });

  it('a choice number out of range is invalid too', async () => {
    const question = topic.questions[0]!;
    await expectAppError(() => service.consult(request({ answers: { ...answers, [question.id]: question.choices.length + 1 } })), 'ANSWER_INVALID');
  });

  it('a missing answer raises ANSWER_INVALID naming the missing question', async () => {
    const [firstId] = Object.keys(answers);
    const rest = { ...answers };
    delete rest[firstId!];
    const error = await expectAppError(() => service.consult(request({ answers: rest })), 'ANSWER_INVALID');
    expect(error.message).toContain(firstId!);
  });

  it('a question over 2,000 characters raises INPUT_INVALID; exactly 2,000 is accepted', async () => {
    await expectAppError(() => service.consult(request({ question: 'k'.repeat(2001) })), 'INPUT_INVALID');
    expect(await count('consultations')).toBe(0);
    const { row } = await service.consult(request({ question: `  ${'k'.repeat(2000)}  ` }));
    expect(row.question).toHaveLength(2000);
  });

  it('an empty question and an unknown topic are refused', async () => {
    await expectAppError(() => service.consult(request({ question: '   ' })), 'INPUT_INVALID');
    await expectAppError(() => service.consult(request({ topic: 'not-a-topic' })), 'UNKNOWN_TOPIC');
  });
});

describe('idempotency', () => {
  it('the same id twice returns created:false and stores one consultation', async () => {
    const first = await service.consult(request({ id: 'evt-123' }));
    clock.t += 60_000;
    const second = await service.consult(request({ id: 'evt-123' }));

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.row).toEqual(first.row);
    expect(second.row.createdAt).toBe(START);
    expect(await count('consultations')).toBe(1);
    expect(await count('predictions')).toBe(topic.failureModes.length);
    expect(await count('estimates')).toBe(2);
    expect(await count('scheduled_jobs')).toBe(1);
  });
});
