// A consultation through ConsultService into a real SQLite file: what is stored (predictions,
// estimates, the check-in job, the knowledge version), workspace scoping, outcomes and their
// replacement, "not adopted", check-in rescheduling, permissions, input validation and idempotency.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextQuestion } from '../../src/consult/questionnaire.js';
import { AppError } from '../../src/errors.js';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load.js';
import type { Topic } from '../../src/knowledge/schema.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { ConsultService, type Clock, type ConsultRequest } from '../../src/service/consult-service.js';
import { openStore, type Store } from '../../src/store/index.js';
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

function expectAppError(fn: () => unknown, code: string): AppError {
  try {
    fn();
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

beforeEach(() => {
  store = openStore(join(makeTempDir(), 'data', 'rc.db'), { now: START });
  clock = new FakeClock(START);
  service = new ConsultService(kb, store, clock);
});

afterEach(() => {
  store.close();
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

function count(sql: string, ...params: unknown[]): number {
  return (store.db.prepare(sql).get(...params) as { n: number }).n;
}

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
  it('with one prediction per failure mode, matching the assessment', () => {
    const { row, assessment, created } = service.consult(request());
    expect(created).toBe(true);

    const predictions = store.consultations.predictions('T1', row.id);
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

  it('with a cost and a time estimate taken from the assessment', () => {
    const { row, assessment } = service.consult(request());
    const estimates = store.consultations.estimates('T1', row.id);
    expect(estimates.map((e) => e.kind)).toEqual(['cost', 'time']);
    const [cost, time] = estimates;
    expect(cost).toMatchObject({ p10: assessment.cost.p10, p50: assessment.cost.p50, p90: assessment.cost.p90, unit: 'USD', actual: null });
    expect(time).toMatchObject({ p10: assessment.time.p10, p50: assessment.time.p50, p90: assessment.time.p90, unit: 'months', actual: null });
    for (const e of estimates) {
      expect(e.p10).toBeLessThanOrEqual(e.p50);
      expect(e.p50).toBeLessThanOrEqual(e.p90);
    }
  });

  it('with exactly one check-in job due 90 days after the injected clock', () => {
    const { row } = service.consult(request());
    expect(row.createdAt).toBe(START);
    expect(row.checkInAt).toBe(START + 90 * DAY_MS);
    const jobs = store.db.prepare('SELECT workspace, kind, job_key, due_at, payload_json, done_at, created_at FROM scheduled_jobs').all();
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

  it('honours a custom check-in period', () => {
    const { row } = service.consult(request({ checkInDays: 30 }));
    expect(store.db.prepare('SELECT due_at FROM scheduled_jobs WHERE job_key = ?').get(`check-in:${row.id}`)).toEqual({ due_at: START + 30 * DAY_MS });
  });

  it('recording the knowledge version, the normalised answers and who asked where', () => {
    const { row } = service.consult(request({ question: '   Should we move everything to Kubernetes?  ' }));
    const stored = store.consultations.get('T1', row.id)!;
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
    expect(stored.id).toMatch(/^rc-[0-9a-z]{8}$/);
    const versions = store.db.prepare('SELECT DISTINCT knowledge_version AS v FROM predictions WHERE consultation_id = ?').all(row.id);
    expect(versions).toEqual([{ v: kb.version }]);
  });

  it('accepting 1-based choice numbers and storing the choice ids', () => {
    const numbered = Object.fromEntries(Object.keys(answers).map((k) => [k, 1]));
    const { row } = service.consult(request({ answers: numbered }));
    expect(row.answers).toEqual(answers);
  });
});

describe('workspace scoping', () => {
  it('get() in another workspace finds nothing, and the service says NOT_FOUND', () => {
    const { row } = service.consult(request());
    expect(store.consultations.get('T1', row.id)?.id).toBe(row.id);
    expect(store.consultations.get('T2', row.id)).toBeUndefined();
    expect(store.consultations.predictions('T2', row.id)).toEqual([]);
    expect(store.consultations.estimates('T2', row.id)).toEqual([]);
    expectAppError(() => service.get('T2', row.id), 'NOT_FOUND');
  });

  it('listForUser returns only that user in that workspace, newest first', () => {
    const a = service.consult(request()).row;
    clock.t += 1000;
    const b = service.consult(request({ question: 'Kubernetes for the new platform?' })).row;
    clock.t += 1000;
    const other = service.consult(request({ userId: 'U2' })).row;
    const elsewhere = service.consult(request({ workspace: 'T2' })).row;

    expect(store.consultations.listForUser('T1', 'U1', 10).map((r) => r.id)).toEqual([b.id, a.id]);
    expect(store.consultations.listForUser('T1', 'U1', 1).map((r) => r.id)).toEqual([b.id]);
    expect(store.consultations.listForUser('T1', 'U2', 10).map((r) => r.id)).toEqual([other.id]);
    expect(store.consultations.listForUser('T2', 'U1', 10).map((r) => r.id)).toEqual([elsewhere.id]);
    expect(store.consultations.listForUser('T3', 'U1', 10)).toEqual([]);
  });
});

describe('outcomes', () => {
  it('recordOutcomes then resolvedForecasts returns the resolved predictions only', () => {
    const { row } = service.consult(request());
    const [m0, m1, m2] = store.consultations.predictions('T1', row.id);
    const at = START + 100 * DAY_MS;
    store.consultations.recordOutcomes('T1', row.id, { failureModes: { [m0!.failureMode]: true, [m1!.failureMode]: false, [m2!.failureMode]: null } }, 'U1', at);

    const resolved = store.consultations.resolvedForecasts('T1');
    expect(resolved).toHaveLength(2);
    const byMode = new Map(resolved.map((r) => [r.failureMode, r]));
    expect(byMode.get(m0!.failureMode)).toEqual({
      consultationId: row.id,
      workspace: 'T1',
      topic: TOPIC,
      failureMode: m0!.failureMode,
      probability: m0!.probability,
      modelProbability: m0!.modelProbability,
      knowledgeVersion: kb.version,
      happened: 1,
      createdAt: START,
      recordedAt: at,
    });
    expect(byMode.get(m1!.failureMode)).toMatchObject({ happened: 0, probability: m1!.probability });
    expect(byMode.has(m2!.failureMode)).toBe(false);

    expect(store.consultations.resolvedForecasts('T2')).toEqual([]);
    expect(store.consultations.resolvedForecasts('T1', { until: at - 1 })).toEqual([]);
    expect(store.consultations.resolvedForecasts('T1', { until: at })).toHaveLength(2);
  });

  it('a second recordOutcomes replaces the first rather than adding rows', () => {
    const { row } = service.consult(request());
    const [m0, m1] = store.consultations.predictions('T1', row.id);
    store.consultations.recordOutcomes('T1', row.id, { failureModes: { [m0!.failureMode]: true, [m1!.failureMode]: false } }, 'U1', START + 1);
    store.consultations.recordOutcomes('T1', row.id, { failureModes: { [m0!.failureMode]: false, [m1!.failureMode]: true } }, 'U9', START + 2);

    const resolved = store.consultations.resolvedForecasts('T1');
    expect(resolved.map((r) => [r.failureMode, r.happened, r.recordedAt]).sort()).toEqual(
      [
        [m0!.failureMode, 0, START + 2],
        [m1!.failureMode, 1, START + 2],
      ].sort(),
    );
    expect(count('SELECT COUNT(*) AS n FROM outcomes WHERE prediction_id IS NOT NULL')).toBe(2);
    expect(store.db.prepare('SELECT DISTINCT recorded_by AS by FROM outcomes').all()).toEqual([{ by: 'U9' }]);
  });

  it('records actual cost and months against the estimates', () => {
    const { row } = service.consult(request());
    store.consultations.recordOutcomes('T1', row.id, { failureModes: {}, actualCost: 250_000, actualMonths: 7 }, 'U1', START + 5);
    store.consultations.recordOutcomes('T1', row.id, { failureModes: {}, actualCost: 300_000 }, 'U1', START + 6);
    const estimates = store.consultations.estimates('T1', row.id);
    expect(estimates.map((e) => [e.kind, e.actual])).toEqual([
      ['cost', 300_000],
      ['time', 7],
    ]);
    expect(store.consultations.resolvedEstimates('T1').map((e) => [e.kind, e.actual]).sort()).toEqual([
      ['cost', 300_000],
      ['time', 7],
    ]);
    expect(store.consultations.resolvedEstimates('T2')).toEqual([]);
  });

  it('notAdopted removes its predictions from resolvedForecasts and open counts', () => {
    const kept = service.consult(request()).row;
    const dropped = service.consult(request({ question: 'Kubernetes for the batch jobs?' })).row;
    const first = (id: string) => store.consultations.predictions('T1', id)[0]!.failureMode;
    store.consultations.recordOutcomes('T1', kept.id, { failureModes: { [first(kept.id)]: true } }, 'U1', START + 1);
    store.consultations.recordOutcomes('T1', dropped.id, { failureModes: { [first(dropped.id)]: true }, notAdopted: true }, 'U1', START + 1);

    expect(store.consultations.resolvedForecasts('T1').map((r) => r.consultationId)).toEqual([kept.id]);
    expect(store.consultations.resolvedForecastsForOperator().map((r) => r.consultationId)).toEqual([kept.id]);
    expect(store.consultations.get('T1', dropped.id)!.notAdopted).toBe(true);
    expect(store.consultations.predictions('T1', dropped.id).every((p) => !p.applicable)).toBe(true);
    expect(store.consultations.countOpenPredictions('T1')).toBe(topic.failureModes.length - 1);
  });

  it('countOpenPredictions counts unresolved predictions of adopted consultations in the workspace', () => {
    const n = topic.failureModes.length;
    expect(store.consultations.countOpenPredictions('T1')).toBe(0);
    const { row } = service.consult(request());
    service.consult(request({ workspace: 'T2' }));
    expect(store.consultations.countOpenPredictions('T1')).toBe(n);

    const [m0, m1, m2] = store.consultations.predictions('T1', row.id);
    store.consultations.recordOutcomes('T1', row.id, { failureModes: { [m0!.failureMode]: true, [m1!.failureMode]: false, [m2!.failureMode]: null } }, 'U1', START);
    expect(store.consultations.countOpenPredictions('T1')).toBe(n - 2);
    expect(store.consultations.countOpenPredictions('T2')).toBe(n);
    expect(store.consultations.countOpenPredictions('T3')).toBe(0);
  });
});

describe('setCheckIn', () => {
  it("moves the consultation's check-in and re-arms its job", () => {
    const { row } = service.consult(request());
    const key = `check-in:${row.id}`;
    store.db.prepare('UPDATE scheduled_jobs SET done_at = ?, attempts = 3, last_error = ? WHERE job_key = ?').run(START + 1, 'boom', key);
    const later = START + 120 * DAY_MS;

    expect(store.consultations.setCheckIn('T1', row.id, later)).toBe(true);

    expect(store.consultations.get('T1', row.id)!.checkInAt).toBe(later);
    expect(store.db.prepare('SELECT due_at, done_at, attempts, last_error FROM scheduled_jobs WHERE job_key = ?').get(key)).toEqual({
      due_at: later,
      done_at: null,
      attempts: 0,
      last_error: null,
    });
    expect(count('SELECT COUNT(*) AS n FROM scheduled_jobs')).toBe(1);
  });

  it('changes nothing from another workspace', () => {
    const { row } = service.consult(request());
    expect(store.consultations.setCheckIn('T2', row.id, START + DAY_MS)).toBe(false);
    expect(store.consultations.setCheckIn('T1', 'rc-missing', START + DAY_MS)).toBe(false);
    expect(store.consultations.get('T1', row.id)!.checkInAt).toBe(START + 90 * DAY_MS);
    expect(store.db.prepare('SELECT due_at FROM scheduled_jobs').all()).toEqual([{ due_at: START + 90 * DAY_MS }]);
  });
});

describe('ConsultService.resolve', () => {
  it('refuses another user who is not an admin, and records nothing', () => {
    const { row } = service.consult(request());
    const mode = store.consultations.predictions('T1', row.id)[0]!.failureMode;
    const error = expectAppError(() => service.resolve('T1', row.id, { userId: 'U2', isAdmin: false }, { failureModes: { [mode]: true } }), 'FORBIDDEN');
    expect(error.message).toContain(row.id);
    expect(count('SELECT COUNT(*) AS n FROM outcomes')).toBe(0);
  });

  it('accepts an admin who did not ask, and the asker, stamping the clock time', () => {
    const { row } = service.consult(request());
    const [m0, m1] = store.consultations.predictions('T1', row.id);
    clock.t = START + 95 * DAY_MS;
    service.resolve('T1', row.id, { userId: 'U-admin', isAdmin: true }, { failureModes: { [m0!.failureMode]: true } });
    clock.t = START + 96 * DAY_MS;
    service.resolve('T1', row.id, { userId: 'U1', isAdmin: false }, { failureModes: { [m1!.failureMode]: false } });

    const outcomes = store.db.prepare('SELECT recorded_by AS by, recorded_at AS at, happened FROM outcomes ORDER BY recorded_at').all();
    expect(outcomes).toEqual([
      { by: 'U-admin', at: START + 95 * DAY_MS, happened: 1 },
      { by: 'U1', at: START + 96 * DAY_MS, happened: 0 },
    ]);
  });

  it('rejects an unknown failure mode and a negative actual, and does not look across workspaces', () => {
    const { row } = service.consult(request());
    const actor = { userId: 'U1', isAdmin: false };
    const unknown = expectAppError(() => service.resolve('T1', row.id, actor, { failureModes: { 'not-a-mode': true } }), 'INPUT_INVALID');
    expect(unknown.message).toContain('not-a-mode');
    expectAppError(() => service.resolve('T1', row.id, actor, { failureModes: {}, actualCost: -1 }), 'INPUT_INVALID');
    expectAppError(() => service.resolve('T2', row.id, { userId: 'U1', isAdmin: true }, { failureModes: {} }), 'NOT_FOUND');
    expect(count('SELECT COUNT(*) AS n FROM outcomes')).toBe(0);
  });
});

describe('ConsultService.consult validation', () => {
  it('an invalid answer raises ANSWER_INVALID naming the question, and saves nothing', () => {
    const question = topic.questions[0]!;
    const error = expectAppError(() => service.consult(request({ answers: { ...answers, [question.id]: 'definitely-not-a-choice' } })), 'ANSWER_INVALID');
    expect(error.message).toContain(question.text);
    expect(error.message).toContain('definitely-not-a-choice');
    expect((error as AppError & { questionId: string }).questionId).toBe(question.id);
    expect(count('SELECT COUNT(*) AS n FROM consultations')).toBe(0);
  });

  it('a choice number out of range is invalid too', () => {
    const question = topic.questions[0]!;
    expectAppError(() => service.consult(request({ answers: { ...answers, [question.id]: question.choices.length + 1 } })), 'ANSWER_INVALID');
  });

  it('a missing answer raises ANSWER_INVALID naming the missing question', () => {
    const [firstId] = Object.keys(answers);
    const rest = { ...answers };
    delete rest[firstId!];
    const error = expectAppError(() => service.consult(request({ answers: rest })), 'ANSWER_INVALID');
    expect(error.message).toContain(firstId!);
  });

  it('a question over 2,000 characters raises INPUT_INVALID; exactly 2,000 is accepted', () => {
    expectAppError(() => service.consult(request({ question: 'k'.repeat(2001) })), 'INPUT_INVALID');
    expect(count('SELECT COUNT(*) AS n FROM consultations')).toBe(0);
    const { row } = service.consult(request({ question: `  ${'k'.repeat(2000)}  ` }));
    expect(row.question).toHaveLength(2000);
  });

  it('an empty question and an unknown topic are refused', () => {
    expectAppError(() => service.consult(request({ question: '   ' })), 'INPUT_INVALID');
    expectAppError(() => service.consult(request({ topic: 'not-a-topic' })), 'UNKNOWN_TOPIC');
  });
});

describe('idempotency', () => {
  it('the same id twice returns created:false and stores one consultation', () => {
    const first = service.consult(request({ id: 'evt-123' }));
    clock.t += 60_000;
    const second = service.consult(request({ id: 'evt-123' }));

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.row).toEqual(first.row);
    expect(second.row.createdAt).toBe(START);
    expect(count('SELECT COUNT(*) AS n FROM consultations')).toBe(1);
    expect(count('SELECT COUNT(*) AS n FROM predictions')).toBe(topic.failureModes.length);
    expect(count('SELECT COUNT(*) AS n FROM estimates')).toBe(2);
    expect(count('SELECT COUNT(*) AS n FROM scheduled_jobs')).toBe(1);
  });
});
