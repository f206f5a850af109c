// Learned cost and time ranges end to end over a real SQLite store: outcomes recorded through
// ConsultService.resolve move the next consultation's ranges (model quantiles kept beside them), the
// estimates keep both, learning reads the model's figures (no compounding), and workspaces stay apart.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIN_OUTCOMES_TO_ADJUST_RANGES } from '../../src/accuracy/learned-ranges.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { ConsultService, type Clock } from '../../src/service/consult-service.js';
import { RecalibrationCache } from '../../src/service/recalibration.js';
import { openStore, type Store } from '../../src/store/index.js';
import { KUBERNETES_ANSWERS } from '../helpers/answers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const START = Date.UTC(2025, 2, 3, 9, 30, 0);
const WS = 'T-LEARN';
const ADMIN = { userId: 'U1', isAdmin: true };
const kb = loadKnowledge(KNOWLEDGE_DIR);

class FakeClock implements Clock {
  constructor(public t: number) {}
  now(): number {
    return this.t;
  }
}

let store: Store;
let clock: FakeClock;
let service: ConsultService;

beforeEach(async () => {
  store = await openStore({ path: join(makeTempDir(), 'data', 'rc.db') }, { now: START });
  clock = new FakeClock(START);
  service = new ConsultService(kb, store, clock);
});

afterEach(async () => {
  await store.close();
  removeTempDirs();
});

function ask(workspace = WS) {
  clock.t += 1_000;
  return service.consult({ workspace, platform: 'cli', channel: null, userId: 'U1', question: 'should we use kubernetes?', topic: 'kubernetes', answers: KUBERNETES_ANSWERS });
}

/** `count` consultations resolved with actuals at `ratio` × the months and cost shown by the knowledge base (×0.7 to ×1.4 around it). */
async function resolveMany(count: number, ratio: number, workspace = WS): Promise<void> {
  for (let i = 0; i < count; i++) {
    const { row, assessment } = await ask(workspace);
    const wobble = Math.exp(0.35 * ((i % 5) - 2) / 2);
    await service.resolve(workspace, row.id, ADMIN, {
      failureModes: {},
      actualCost: assessment.cost.model.p50 * ratio * wobble,
      actualMonths: assessment.time.model.p50 * ratio * wobble,
    });
  }
}

describe('learned cost and time ranges', () => {
  it('below the minimum number of outcomes, ranges are the knowledge base\'s own', async () => {
    await resolveMany(MIN_OUTCOMES_TO_ADJUST_RANGES - 1, 2);
    const { assessment, view } = await ask();
    expect(assessment.time.learned).toBeUndefined();
    expect(assessment.cost.learned).toBeUndefined();
    expect(assessment.time.p50).toBe(assessment.time.model.p50);
    expect(view.time.note).toBeUndefined();
  });

  it('projects that took 2× move the next consultation\'s ranges, say so, and keep the model quantiles', async () => {
    const before = await ask();
    await resolveMany(12, 2);
    const { assessment, view, row } = await ask();
    expect(assessment.time.model).toEqual(before.assessment.time.model);
    expect(assessment.time.learned?.outcomes).toBe(12);
    expect(assessment.time.learned!.factor).toBeGreaterThan(1.5);
    expect(assessment.time.learned!.factor).toBeLessThan(2.1);
    expect(assessment.time.p50).toBeGreaterThan(assessment.time.model.p50 * 1.4);
    expect(assessment.cost.learned!.factor).toBeGreaterThan(1.5);
    expect(view.time.note).toMatch(/^adjusted: projects here took \d(\.\d)?× the predicted months, (range narrowed ×0\.\d+, )?12 outcomes \(knowledge base: /);
    expect(view.cost.note).toMatch(/^adjusted: projects here cost \d(\.\d)?× the predicted amount, (range narrowed ×0\.\d+, )?12 outcomes \(knowledge base: /);
    // The stored estimate is what was shown; the model's quantiles sit beside it.
    const estimates = await store.consultations.estimates(WS, row.id);
    expect(estimates.find((e) => e.kind === 'time')!.p50).toBe(assessment.time.p50);
    // Re-rendering the stored consultation says the same.
    expect(service.render(row).view.time.note).toBe(view.time.note);
  });

  it('learns from the model quantiles: outcomes at 2× the model keep giving ~2×, never 2×2', async () => {
    await resolveMany(12, 2);
    const first = (await ask()).assessment.time.learned!.factor;
    // Every later consultation is shown a learned range; its actuals are still 2× the model's median.
    await resolveMany(40, 2);
    const { assessment } = await ask();
    expect(assessment.time.learned!.factor).toBeGreaterThanOrEqual(first - 0.05);
    expect(assessment.time.learned!.factor).toBeLessThan(2.1);
    const resolved = await store.consultations.resolvedEstimates(WS);
    const learnedShown = resolved.filter((e) => e.kind === 'time' && e.p50 !== e.modelP50);
    expect(learnedShown.length).toBeGreaterThan(30);
  });

  it('is scoped to the workspace', async () => {
    await resolveMany(12, 2, 'T-OTHER');
    const { assessment } = await ask();
    expect(assessment.time.learned).toBeUndefined();
  });

  it('a benchmark-style service with learning off (null) shows raw ranges', async () => {
    await resolveMany(12, 2);
    const raw = new ConsultService(kb, store, clock, null);
    const { assessment } = await raw.consult({ workspace: WS, platform: 'cli', channel: null, userId: 'U1', question: 'k8s?', topic: 'kubernetes', answers: KUBERNETES_ANSWERS });
    expect(assessment.time.learned).toBeUndefined();
  });

  it('the cache refits ranges when an outcome arrives from another replica', async () => {
    const cache = new RecalibrationCache(store, () => clock.t, 30_000);
    // Asked twice, so the cache keeps the workspace (it keeps none on its first ask).
    expect(await cache.rangeAdjuster(WS)).toBeUndefined();
    expect(await cache.rangeAdjuster(WS)).toBeUndefined();
    await resolveMany(12, 2);
    // Within maxAge the old (empty) fit is still used...
    expect(await cache.rangeAdjuster(WS)).toBeUndefined();
    // ...and after it the version is re-read and the ranges refitted.
    clock.t += 30_000;
    const adjust = await cache.rangeAdjuster(WS);
    expect(adjust?.('kubernetes', 'time', { p10: 2, p50: 4, p90: 9 })?.factor).toBeGreaterThan(1.5);
    expect((await cache.ranges(WS)).time.total).toBe(12);
  });
});
