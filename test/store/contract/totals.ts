// Contract: each workspace's running totals (workspace_stats) follow every save, answer, take-back,
// actual and "we didn't adopt it", and say what recounting the rows would say; the learned calibration
// kept per workspace. What App Home, the metrics gauges and recalibration read instead of history.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/accuracy/random.js';
import type { NewConsultation, Store } from '../../../src/store/index.js';
import { DAY_MS, randomAnswers, saved, START, type StoreContext } from './context.js';

/** What the totals should be, recounted from the rows the store returns. */
async function recount(store: Store, workspace: string, consultations: NewConsultation[]) {
  const forecasts = await store.consultations.resolvedForecasts(workspace);
  const estimates = (await store.consultations.resolvedEstimates(workspace)).filter((e) => e.actual > 0);
  let open = 0;
  for (const c of consultations.filter((x) => x.workspace === workspace)) {
    open += (await store.consultations.predictions(workspace, c.id)).filter((p) => p.applicable && p.happened === null).length;
  }
  const interval = (kind: 'cost' | 'time') => {
    const of = estimates.filter((e) => e.kind === kind);
    return { resolved: of.length, inside: of.filter((e) => e.p10 <= e.actual && e.actual <= e.p90).length };
  };
  return {
    consultations: consultations.filter((x) => x.workspace === workspace).length,
    openPredictions: open,
    resolved: forecasts.length,
    happened: forecasts.reduce((s, f) => s + f.happened, 0),
    squaredError: forecasts.reduce((s, f) => s + (f.probability - f.happened) ** 2, 0),
    cost: interval('cost'),
    time: interval('time'),
  };
}

export function totalsContract(ctx: StoreContext): void {
  describe('workspace totals', () => {
    it('are zeros before a workspace consults', async () => {
      expect(await ctx.store.consultations.totals('T1')).toStrictEqual({
        consultations: 0, openPredictions: 0, resolved: 0, happened: 0, squaredError: 0, cost: { resolved: 0, inside: 0 }, time: { resolved: 0, inside: 0 }, outcomeVersion: 0,
      });
    });

    it('follow a random history of saves and answers and agree with the rows, per workspace and overall', async () => {
      const random = mulberry32(13);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const consultations: NewConsultation[] = [];
      const versions = new Map<string, number>();
      for (let step = 0; step < 120; step++) {
        if (consultations.length < 4 || random() < 0.25) {
          consultations.push(await saved(ctx.store, { workspace: pick(['T1', 'T2', 'T3']), createdAt: START + step }));
          continue;
        }
        const c = pick(consultations);
        const failureModes = randomAnswers(c, random);
        const actual = () => pick([undefined, null, 0, 1, 3, 7, 60_000, 500_000]);
        const notAdopted = pick([undefined, undefined, undefined, true, false]);
        await ctx.store.consultations.recordOutcomes(c.workspace, c.id, { failureModes, actualCost: actual(), actualMonths: actual(), ...(notAdopted === undefined ? {} : { notAdopted }) }, 'U1', START + DAY_MS + step);
        versions.set(c.workspace, (versions.get(c.workspace) ?? 0) + 1);
      }
      let open = 0;
      let squaredError = 0;
      let resolved = 0;
      for (const workspace of ['T1', 'T2', 'T3']) {
        const { outcomeVersion, squaredError: se, ...totals } = await ctx.store.consultations.totals(workspace);
        const { squaredError: expectedSe, ...expected } = await recount(ctx.store, workspace, consultations);
        expect(totals, workspace).toStrictEqual(expected);
        expect(se, workspace).toBeCloseTo(expectedSe, 9);
        expect(outcomeVersion, workspace).toBe(versions.get(workspace) ?? 0);
        expect(await ctx.store.consultations.countOpenPredictions(workspace)).toBe(expected.openPredictions);
        open += expected.openPredictions;
        squaredError += expectedSe;
        resolved += expected.resolved;
      }
      expect(resolved).toBeGreaterThan(10);
      expect(await ctx.store.consultations.countOpenPredictionsForOperator()).toBe(open);
      expect(await ctx.store.consultations.brierForOperator()).toBeCloseTo(squaredError / resolved, 9);
    });

    it('answers for a consultation another workspace names change no totals', async () => {
      const c = await saved(ctx.store);
      const before = await ctx.store.consultations.totals('T1');
      await ctx.store.consultations.recordOutcomes('T2', c.id, { failureModes: { 'ops-burden': true }, notAdopted: true }, 'U1', START);
      expect(await ctx.store.consultations.totals('T1')).toStrictEqual(before);
      expect((await ctx.store.consultations.totals('T2')).outcomeVersion).toBe(0);
    });
  });

  describe('learned calibration', () => {
    it('is kept per workspace with its outcome version, and a later save replaces it', async () => {
      expect(await ctx.store.consultations.learnedCalibration('T1')).toBeUndefined();
      await ctx.store.consultations.saveLearnedCalibration('T1', '3', '{"a":1}', START);
      await ctx.store.consultations.saveLearnedCalibration('T2', '1', '{"b":2}', START);
      await ctx.store.consultations.saveLearnedCalibration('T1', '4', '{"a":2}', START + 1);
      expect(await ctx.store.consultations.learnedCalibration('T1')).toStrictEqual({ outcomeVersion: '4', model: '{"a":2}' });
      expect(await ctx.store.consultations.learnedCalibration('T2')).toStrictEqual({ outcomeVersion: '1', model: '{"b":2}' });
    });
  });
}
