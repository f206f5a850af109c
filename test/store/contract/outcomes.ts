// Contract: recording outcomes (replacing, "too early to say", actuals, "not adopted") and what reads
// them: resolved forecasts and estimates, open counts, the Brier score and the outcome version.
import { describe, expect, it } from 'vitest';
import { DAY_MS, predictionIds, saved, START, type StoreContext } from './context.js';

export function outcomesContract(ctx: StoreContext): void {
  describe('outcomes', () => {
    it('resolvedForecasts returns the resolved predictions only, up to a time, in one workspace', async () => {
      const c = await saved(ctx.store);
      const at = START + 100 * DAY_MS;
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': true, 'skills-gap': false, 'cost-overrun': null } }, 'U1', at);

      const ids = await predictionIds(ctx.store, c);
      const resolved = await ctx.store.consultations.resolvedForecasts('T1');
      // Same time: in prediction (saving) order, and skills-gap was saved after ops-burden.
      expect(resolved).toStrictEqual([
        { consultationId: c.id, workspace: 'T1', topic: 'kubernetes', failureMode: 'ops-burden', probability: 0.7, modelProbability: 0.62, knowledgeVersion: 'kb-2025-03-01', happened: 1, createdAt: START, recordedAt: at, severity: 'high', followedAlternative: null },
        { consultationId: c.id, workspace: 'T1', topic: 'kubernetes', failureMode: 'skills-gap', probability: 0.55, modelProbability: 0.5, knowledgeVersion: 'kb-2025-03-01', happened: 0, createdAt: START, recordedAt: at, severity: null, followedAlternative: null },
      ]);
      expect(ids['ops-burden']!).toBeLessThan(ids['skills-gap']!);
      expect((await ctx.store.consultations.predictions('T1', c.id)).map((p) => [p.failureMode, p.happened])).toEqual([
        ['ops-burden', true],
        ['skills-gap', false],
        ['cost-overrun', null],
      ]);
      expect(await ctx.store.consultations.resolvedForecasts('T2')).toEqual([]);
      expect(await ctx.store.consultations.resolvedForecasts('T1', { until: at - 1 })).toEqual([]);
      expect(await ctx.store.consultations.resolvedForecasts('T1', { until: at })).toHaveLength(2);
    });

    it('resolved forecasts come in recording order', async () => {
      const c = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'skills-gap': true } }, 'U1', START + 2);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'cost-overrun': true } }, 'U1', START + 1);
      expect((await ctx.store.consultations.resolvedForecasts('T1')).map((r) => r.failureMode)).toEqual(['cost-overrun', 'skills-gap']);
    });

    it('a second answer replaces the first rather than adding rows', async () => {
      const c = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': true, 'skills-gap': false } }, 'U1', START + 1);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': false, 'skills-gap': true } }, 'U9', START + 2);

      expect((await ctx.store.consultations.resolvedForecasts('T1')).map((r) => [r.failureMode, r.happened, r.recordedAt])).toEqual([
        ['ops-burden', 0, START + 2],
        ['skills-gap', 1, START + 2],
      ]);
      const rows = await ctx.store.tables.read('outcomes', 0, 10);
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((r) => r.recorded_by))).toEqual(new Set(['U9']));
    });

    it('"too early to say" takes an earlier answer back: the prediction is open again', async () => {
      const c = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': true, 'skills-gap': true } }, 'U1', START + 1);
      expect(await ctx.store.consultations.countOpenPredictions('T1')).toBe(1);

      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': null } }, 'U1', START + 2);

      expect((await ctx.store.consultations.resolvedForecasts('T1')).map((r) => r.failureMode)).toEqual(['skills-gap']);
      expect((await ctx.store.consultations.predictions('T1', c.id)).find((p) => p.failureMode === 'ops-burden')?.happened).toBeNull();
      expect(await ctx.store.consultations.countOpenPredictions('T1')).toBe(2);
      expect((await ctx.store.tables.counts()).outcomes).toBe(1);
    });

    it('failure modes left out keep their answer; unknown ones are ignored', async () => {
      const c = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': true } }, 'U1', START + 1);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'skills-gap': false, 'not-a-mode': true } }, 'U1', START + 2);
      expect((await ctx.store.consultations.resolvedForecasts('T1')).map((r) => [r.failureMode, r.happened, r.recordedAt])).toEqual([
        ['ops-burden', 1, START + 1],
        ['skills-gap', 0, START + 2],
      ]);
    });

    it('records actual cost and months against the estimates; a later one replaces, a missing one keeps', async () => {
      const c = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, actualCost: 250_000, actualMonths: 7 }, 'U1', START + 5);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, actualCost: 300_000.25, actualMonths: null }, 'U1', START + 6);

      expect((await ctx.store.consultations.estimates('T1', c.id)).map((e) => [e.kind, e.actual])).toEqual([
        ['cost', 300_000.25],
        ['time', 7],
      ]);
      expect(await ctx.store.consultations.resolvedEstimates('T1')).toStrictEqual([
        { consultationId: c.id, topic: 'kubernetes', kind: 'time', p10: 2, p50: 4.5, p90: 9, actual: 7, recordedAt: START + 5, modelP10: 1.5, modelP50: 3, modelP90: 6.5 },
        { consultationId: c.id, topic: 'kubernetes', kind: 'cost', p10: 50_000, p50: 120_000.5, p90: 400_000, actual: 300_000.25, recordedAt: START + 6, modelP10: 50_000, modelP50: 120_000.5, modelP90: 400_000 },
      ]);
      expect(await ctx.store.consultations.resolvedEstimates('T2')).toEqual([]);
      expect((await ctx.store.tables.counts()).outcomes).toBe(2);
    });

    it('"not adopted" takes the consultation out of every score and count, until answered otherwise', async () => {
      const kept = await saved(ctx.store);
      const dropped = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T1', kept.id, { failureModes: { 'ops-burden': true }, actualCost: 1 }, 'U1', START + 1);
      await ctx.store.consultations.recordOutcomes('T1', dropped.id, { failureModes: { 'ops-burden': true }, actualCost: 2, notAdopted: true }, 'U1', START + 1);

      expect((await ctx.store.consultations.resolvedForecasts('T1')).map((r) => r.consultationId)).toEqual([kept.id]);
      expect((await ctx.store.consultations.resolvedForecastsForOperator()).map((r) => r.consultationId)).toEqual([kept.id]);
      expect((await ctx.store.consultations.resolvedEstimates('T1')).map((r) => r.consultationId)).toEqual([kept.id]);
      expect((await ctx.store.consultations.resolvedEstimatesForOperator()).map((r) => r.consultationId)).toEqual([kept.id]);
      expect((await ctx.store.consultations.get('T1', dropped.id))?.notAdopted).toBe(true);
      expect((await ctx.store.consultations.predictions('T1', dropped.id)).map((p) => p.applicable)).toEqual([false, false, false]);
      expect(await ctx.store.consultations.countOpenPredictions('T1')).toBe(2);
      expect(await ctx.store.consultations.countOpenPredictionsForOperator()).toBe(2);
      expect(await ctx.store.consultations.brierForOperator()).toBeCloseTo(0.09, 12);

      // A later answer that does not mention adoption leaves it as it was...
      await ctx.store.consultations.recordOutcomes('T1', dropped.id, { failureModes: { 'skills-gap': true } }, 'U1', START + 2);
      expect((await ctx.store.consultations.get('T1', dropped.id))?.notAdopted).toBe(true);
      // ...and an explicit "adopted after all" brings its answers back.
      await ctx.store.consultations.recordOutcomes('T1', dropped.id, { failureModes: {}, notAdopted: false }, 'U1', START + 3);
      expect((await ctx.store.consultations.get('T1', dropped.id))?.notAdopted).toBe(false);
      expect((await ctx.store.consultations.resolvedForecasts('T1')).map((r) => [r.consultationId, r.failureMode])).toEqual([
        [kept.id, 'ops-burden'],
        [dropped.id, 'ops-burden'],
        [dropped.id, 'skills-gap'],
      ]);
    });

    it('countOpenPredictions counts unresolved predictions of adopted consultations, per workspace and overall', async () => {
      expect(await ctx.store.consultations.countOpenPredictions('T1')).toBe(0);
      expect(await ctx.store.consultations.countOpenPredictionsForOperator()).toBe(0);
      const c = await saved(ctx.store);
      await saved(ctx.store, { workspace: 'T2' });
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': true, 'skills-gap': false, 'cost-overrun': null } }, 'U1', START);
      expect(await ctx.store.consultations.countOpenPredictions('T1')).toBe(1);
      expect(await ctx.store.consultations.countOpenPredictions('T2')).toBe(3);
      expect(await ctx.store.consultations.countOpenPredictions('T3')).toBe(0);
      expect(await ctx.store.consultations.countOpenPredictionsForOperator()).toBe(4);
    });

    it('brierForOperator: null before the first answer, then the mean squared error over every workspace', async () => {
      expect(await ctx.store.consultations.brierForOperator()).toBeNull();
      const a = await saved(ctx.store);
      const b = await saved(ctx.store, { workspace: 'T2' });
      await ctx.store.consultations.recordOutcomes('T1', a.id, { failureModes: { 'ops-burden': true } }, 'U1', START);
      await ctx.store.consultations.recordOutcomes('T2', b.id, { failureModes: { 'cost-overrun': false } }, 'U1', START);
      // (0.7 - 1)² = 0.09 and (0.4 - 0)² = 0.16
      expect(await ctx.store.consultations.brierForOperator()).toBeCloseTo(0.125, 12);
    });

    it('outcomeVersion moves on whenever an outcome is recorded or replaced, and only in its workspace', async () => {
      const c = await saved(ctx.store);
      const v0 = await ctx.store.consultations.outcomeVersion('T1');
      const other0 = await ctx.store.consultations.outcomeVersion('T2');
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': true } }, 'U1', START + 1);
      const v1 = await ctx.store.consultations.outcomeVersion('T1');
      // Same count and time, another answer:
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': false } }, 'U1', START + 1);
      const v2 = await ctx.store.consultations.outcomeVersion('T1');
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, actualCost: 5 }, 'U1', START + 1);
      const v3 = await ctx.store.consultations.outcomeVersion('T1');
      expect(new Set([v0, v1, v2, v3]).size).toBe(4);
      expect(await ctx.store.consultations.outcomeVersion('T1')).toBe(v3);
      expect(await ctx.store.consultations.outcomeVersion('T2')).toBe(other0);
    });

    it('operator views cover every workspace, or the one named', async () => {
      const a = await saved(ctx.store);
      const b = await saved(ctx.store, { workspace: 'T2' });
      await ctx.store.consultations.recordOutcomes('T2', b.id, { failureModes: { 'ops-burden': true }, actualMonths: 3 }, 'U1', START + 1);
      await ctx.store.consultations.recordOutcomes('T1', a.id, { failureModes: { 'ops-burden': false }, actualMonths: 4 }, 'U1', START + 2);
      expect((await ctx.store.consultations.resolvedForecastsForOperator()).map((r) => r.workspace)).toEqual(['T2', 'T1']);
      expect((await ctx.store.consultations.resolvedForecastsForOperator('T1')).map((r) => r.consultationId)).toEqual([a.id]);
      expect(await ctx.store.consultations.resolvedForecastsForOperator('T1')).toStrictEqual(await ctx.store.consultations.resolvedForecasts('T1'));
      expect((await ctx.store.consultations.resolvedEstimatesForOperator()).map((r) => [r.consultationId, r.actual])).toEqual([
        [b.id, 3],
        [a.id, 4],
      ]);
      expect(await ctx.store.consultations.resolvedEstimatesForOperator('T2')).toStrictEqual(await ctx.store.consultations.resolvedEstimates('T2'));
    });

    it('records whether the suggested alternative was followed; only an explicit answer changes it, null takes it back', async () => {
      const c = await saved(ctx.store);
      const other = await saved(ctx.store);
      expect((await ctx.store.consultations.get('T1', c.id))?.followedAlternative).toBeNull();
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': true }, followedAlternative: true }, 'U1', START + 1);
      await ctx.store.consultations.recordOutcomes('T1', other.id, { failureModes: { 'ops-burden': false }, followedAlternative: false }, 'U1', START + 2);
      expect((await ctx.store.consultations.get('T1', c.id))?.followedAlternative).toBe(true);
      expect((await ctx.store.consultations.resolvedForecasts('T1')).map((r) => [r.consultationId, r.followedAlternative])).toEqual([
        [c.id, true],
        [other.id, false],
      ]);
      expect((await ctx.store.consultations.resolvedForecastsForOperator()).map((r) => r.followedAlternative)).toEqual([true, false]);

      // A later answer that does not mention it leaves it as it was...
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'skills-gap': true } }, 'U1', START + 3);
      expect((await ctx.store.consultations.get('T1', c.id))?.followedAlternative).toBe(true);
      // ...a later answer replaces it, and null takes it back.
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, followedAlternative: false }, 'U1', START + 4);
      expect((await ctx.store.consultations.get('T1', c.id))?.followedAlternative).toBe(false);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, followedAlternative: null }, 'U1', START + 5);
      expect((await ctx.store.consultations.get('T1', c.id))?.followedAlternative).toBeNull();
      // Another workspace cannot set it.
      await ctx.store.consultations.recordOutcomes('T2', other.id, { failureModes: {}, followedAlternative: true }, 'U1', START + 6);
      expect((await ctx.store.consultations.get('T1', other.id))?.followedAlternative).toBe(false);
    });

    it('resolved forecasts carry the severity saved with the prediction (null when none was)', async () => {
      const c = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'cost-overrun': true, 'ops-burden': false, 'skills-gap': true } }, 'U1', START + 1);
      expect(Object.fromEntries((await ctx.store.consultations.resolvedForecasts('T1')).map((r) => [r.failureMode, r.severity]))).toEqual({
        'cost-overrun': 'medium',
        'ops-burden': 'high',
        'skills-gap': null,
      });
    });

    it('resolved estimates carry the model quantiles: the learned-from figures, the shown ones when not learned', async () => {
      const c = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: {}, actualCost: 90_000, actualMonths: 5 }, 'U1', START + 1);
      const byKind = Object.fromEntries((await ctx.store.consultations.resolvedEstimates('T1')).map((r) => [r.kind, [r.p50, r.modelP10, r.modelP50, r.modelP90]]));
      expect(byKind).toEqual({ time: [4.5, 1.5, 3, 6.5], cost: [120_000.5, 50_000, 120_000.5, 400_000] });
      // What is shown (and scored) stays the shown estimate.
      expect((await ctx.store.consultations.estimates('T1', c.id)).map((e) => [e.kind, e.p50])).toEqual([
        ['cost', 120_000.5],
        ['time', 4.5],
      ]);
    });

    it('recording from another workspace changes nothing', async () => {
      const c = await saved(ctx.store);
      await ctx.store.consultations.recordOutcomes('T2', c.id, { failureModes: { 'ops-burden': true }, actualCost: 1, notAdopted: true }, 'U1', START);
      expect((await ctx.store.tables.counts()).outcomes).toBe(0);
      expect((await ctx.store.consultations.get('T1', c.id))?.notAdopted).toBe(false);
    });
  });
}
