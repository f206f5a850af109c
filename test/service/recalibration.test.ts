// Learning from outcomes, end to end through ConsultService on a real SQLite file: below 20 outcomes a
// new consultation gets the knowledge base's probabilities unchanged; after enough outcomes where one
// failure mode always happened, it gets a higher probability for it, with a note saying why; and one
// workspace's outcomes never move another workspace's answers.
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { learnCalibration, learnedProbability } from '../../src/accuracy/learned.js';
import { MIN_OUTCOMES_TO_RECALIBRATE } from '../../src/accuracy/recalibrate.js';
import type { Assessment, FailureModeAssessment } from '../../src/consult/assess.js';
import { loadKnowledge, type KnowledgeBase } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { buildVerdictView } from '../../src/present/verdict.js';
import { ConsultService, type Clock, type ConsultResult } from '../../src/service/consult-service.js';
import { RecalibrationCache } from '../../src/service/recalibration.js';
import type { Store } from '../../src/store/types.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';
import { KUBERNETES_ANSWERS as ANSWERS } from '../helpers/answers.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 6, 10);
const WS = 'T0001';
const OTHER = 'T0002';
/** Base 0.3 in the knowledge base; with these answers no rule moves it much, so it sits near 30%. */
const TARGET = 'rolling-update-inconsistent';


let kb: KnowledgeBase;
let store: Store;
let service: ConsultService;
const clock = { t: START, now: (): number => clock.t } satisfies Clock & { t: number };

beforeAll(() => {
  kb = loadKnowledge(KNOWLEDGE_DIR);
});

beforeEach(() => {
  clock.t = START;
  store = openSqliteStore(join(makeTempDir('rc-recal-'), 'rc.db'), { now: START });
  service = new ConsultService(kb, store, clock);
});

afterEach(async () => {
  await store.close();
  removeTempDirs();
});

async function consult(workspace: string): Promise<ConsultResult> {
  clock.t += 60_000;
  return service.consult({ workspace, platform: 'slack', channel: 'C0001', userId: 'U0001', question: 'should we use kubernetes?', topic: 'kubernetes', answers: ANSWERS });
}

const mode = (a: Assessment, id: string): FailureModeAssessment => a.failureModes.find((f) => f.id === id)!;

/** `n` consultations in `workspace`, each answered "TARGET happened" (and only that) a day later. */
async function targetHappened(workspace: string, n: number, happened = true): Promise<void> {
  for (let i = 0; i < n; i++) {
    const { row } = await consult(workspace);
    clock.t += DAY;
    await service.resolve(workspace, row.id, { userId: 'U0001', isAdmin: false }, { failureModes: { [TARGET]: happened } });
  }
}

async function expectUncalibrated(result: ConsultResult): Promise<void> {
  for (const fm of result.assessment.failureModes) {
    expect(fm.probability).toBe(fm.modelProbability);
    expect(fm.calibration).toBeUndefined();
  }
  for (const v of result.view.failureModes) expect(v.calibrationNote).toBeUndefined();
  // What was stored is what was shown.
  for (const p of await store.consultations.predictions(result.row.workspace, result.row.id)) expect(p.probability).toBe(p.modelProbability);
}

describe('recalibration from outcomes', () => {
  it('leaves the knowledge base probabilities alone below 20 outcomes', async () => {
    const fresh = await consult(WS);
    await expectUncalibrated(fresh);
    const kbProbability = mode(fresh.assessment, TARGET).modelProbability;
    expect(kbProbability).toBeGreaterThan(0.15);
    expect(kbProbability).toBeLessThan(0.6);

    await targetHappened(WS, MIN_OUTCOMES_TO_RECALIBRATE - 2); // plus none from `fresh`: 18 outcomes
    expect(await store.consultations.resolvedForecasts(WS)).toHaveLength(MIN_OUTCOMES_TO_RECALIBRATE - 2);
    // 19 outcomes, all "happened", on one failure mode: still the knowledge base's figure.
    await targetHappened(WS, 1);
    expect(await store.consultations.resolvedForecasts(WS)).toHaveLength(19);
    const next = await consult(WS);
    await expectUncalibrated(next);
    expect(mode(next.assessment, TARGET).probability).toBe(kbProbability);
  });

  it('raises a failure mode that always happened once there are enough outcomes, and says so', async () => {
    const before = await consult(WS);
    const kbProbability = mode(before.assessment, TARGET).modelProbability;

    await targetHappened(WS, 57);
    const after = await consult(WS);
    const fm = mode(after.assessment, TARGET);
    expect(fm.modelProbability).toBe(kbProbability); // the knowledge base still says the same
    expect(fm.probability).toBeGreaterThan(kbProbability + 0.05);
    expect(fm.calibration).toEqual({ outcomes: 57 });

    // Stored as shown: the prediction keeps both figures.
    const stored = (await store.consultations.predictions(WS, after.row.id)).find((p) => p.failureMode === TARGET)!;
    expect(stored.probability).toBe(fm.probability);
    expect(stored.modelProbability).toBe(kbProbability);

    // The verdict view says where the figure came from.
    const view = buildVerdictView(after.assessment, { consultationId: after.row.id, question: after.row.question, checkInAt: after.row.checkInAt });
    const note = view.failureModes.find((f) => f.id === TARGET)!.calibrationNote;
    expect(note).toBeDefined();
    const m = /^base (\d+)%, (\d+)% after (\d+) outcomes in this workspace$/.exec(note!);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(Math.round(kbProbability * 100));
    expect(Number(m![2])).toBe(Math.round(fm.probability * 100));
    expect(Number(m![2])).toBeGreaterThan(Number(m![1]));
    expect(Number(m![3])).toBe(57);
    // The view ConsultService returned is the same rendering.
    expect(after.view.failureModes.find((f) => f.id === TARGET)!.calibrationNote).toBe(note);
  });

  it('starts exactly at 20 outcomes', async () => {
    await targetHappened(WS, MIN_OUTCOMES_TO_RECALIBRATE - 1);
    await expectUncalibrated(await consult(WS));
    await targetHappened(WS, 1);
    const r = await consult(WS);
    const fm = mode(r.assessment, TARGET);
    expect(fm.calibration).toEqual({ outcomes: MIN_OUTCOMES_TO_RECALIBRATE });
    expect(fm.probability).toBeGreaterThan(fm.modelProbability);
  });

  it('lowers a failure mode that never happened', async () => {
    await targetHappened(WS, 40, false);
    const fm = mode((await consult(WS)).assessment, TARGET);
    expect(fm.calibration).toEqual({ outcomes: 40 });
    expect(fm.probability).toBeLessThan(fm.modelProbability - 0.05);
  });

  it("is scoped to the workspace: another workspace's outcomes do not move this one's answers", async () => {
    await targetHappened(OTHER, 57);
    // This workspace has no outcomes of its own: the knowledge base's figures, untouched.
    const mine = await consult(WS);
    await expectUncalibrated(mine);
    // The other workspace did learn.
    const theirs = await consult(OTHER);
    expect(mode(theirs.assessment, TARGET).probability).toBeGreaterThan(mode(theirs.assessment, TARGET).modelProbability);

    // With outcomes of its own, this workspace learns from those only: the other workspace's opposite
    // evidence piling up changes nothing here.
    await targetHappened(WS, 30, false);
    const learned = mode((await consult(WS)).assessment, TARGET);
    expect(learned.calibration).toEqual({ outcomes: 30 });
    expect(learned.probability).toBeLessThan(learned.modelProbability);
    await targetHappened(OTHER, 100, true);
    const again = mode((await consult(WS)).assessment, TARGET);
    expect(again.probability).toBe(learned.probability);
    expect(again.calibration).toEqual({ outcomes: 30 });
  });

  it("learns from the knowledge base's own probability, not from earlier recalibrated ones", async () => {
    // The second half's consultations were shown recalibrated figures; the fit must still be over
    // model_probability (the knowledge base's), or it would learn from its own corrections.
    await targetHappened(WS, 25);
    await targetHappened(WS, 25);
    const samples = await store.consultations.resolvedForecasts(WS);
    expect(samples).toHaveLength(50);
    // Later consultations were shown higher figures than the knowledge base's...
    expect(samples.some((s) => s.probability > s.modelProbability)).toBe(true);
    const key = `kubernetes/${TARGET}`;
    const fit = (p: (s: (typeof samples)[number]) => number) => learnCalibration(samples.map((s) => ({ key, p: p(s), outcome: s.happened })));
    const kbP = samples[0]!.modelProbability;
    const fromModel = learnedProbability(fit((s) => s.modelProbability), key, kbP)!;
    const fromShown = learnedProbability(fit((s) => s.probability), key, kbP)!;
    expect(Math.abs(fromModel - fromShown)).toBeGreaterThan(1e-6);

    const next = mode((await consult(WS)).assessment, TARGET);
    expect(next.probability).toBeCloseTo(fromModel, 12);
    const cache = new RecalibrationCache(store);
    expect((await cache.learned(WS)).total).toBe(50);
    expect((await cache.learned(WS)).counts.get(key)).toBe(50);
    const recalibrator = (await cache.recalibrator(WS))!;
    expect(recalibrator.probability('kubernetes', TARGET, kbP)).toBeCloseTo(fromModel, 12);
    expect(recalibrator.outcomes('kubernetes', TARGET)).toBe(50);
  });

  it('refits when a new outcome arrives (the cache follows the outcome version)', async () => {
    await targetHappened(WS, 30);
    const first = mode((await consult(WS)).assessment, TARGET).probability;
    await targetHappened(WS, 30);
    const second = mode((await consult(WS)).assessment, TARGET);
    expect(second.calibration).toEqual({ outcomes: 60 });
    expect(second.probability).toBeGreaterThan(first);
  });
});
