// Contract: saving and reading consultations (every field back as saved, result order, the check-in job,
// all-or-nothing saves, listing and counting) and moving a check-in.
import { describe, expect, it } from 'vitest';
import { consultation, DAY_MS, saved, START, type StoreContext } from './context.js';

export function consultationsContract(ctx: StoreContext): void {
  describe('consultations', () => {
    it('get returns every field as saved', async () => {
      const c = await saved(ctx.store, { platform: 'teams', channel: null });
      expect(await ctx.store.consultations.get('T1', c.id)).toStrictEqual({
        id: c.id,
        workspace: 'T1',
        platform: 'teams',
        channel: null,
        userId: 'U1',
        question: c.question,
        topic: 'kubernetes',
        knowledgeVersion: 'kb-2025-03-01',
        answers: c.answers,
        verdict: 'not-yet',
        riskScore: 0.62,
        assessment: c.assessment,
        createdAt: START,
        checkInAt: START + 90 * DAY_MS,
        notAdopted: false,
        story: null,
        sourceUrl: null,
        verdictUrl: null,
        history: null,
        followedAlternative: null,
      });
    });

    it('get is scoped to the workspace; getForOperator finds a consultation in any', async () => {
      const c = await saved(ctx.store);
      expect(await ctx.store.consultations.get('T2', c.id)).toBeUndefined();
      expect(await ctx.store.consultations.get('T1', 'rc-missing')).toBeUndefined();
      expect((await ctx.store.consultations.getForOperator(c.id))?.workspace).toBe('T1');
      expect(await ctx.store.consultations.getForOperator('rc-missing')).toBeUndefined();
    });

    it('predictions come highest probability first, open and applicable', async () => {
      const c = await saved(ctx.store);
      const predictions = await ctx.store.consultations.predictions('T1', c.id);
      expect(predictions.map(({ id, ...rest }) => rest)).toStrictEqual([
        { failureMode: 'ops-burden', probability: 0.7, modelProbability: 0.62, horizonMonths: 6, happened: null, applicable: true },
        { failureMode: 'skills-gap', probability: 0.55, modelProbability: 0.5, horizonMonths: 3, happened: null, applicable: true },
        { failureMode: 'cost-overrun', probability: 0.4, modelProbability: 0.45, horizonMonths: 12, happened: null, applicable: true },
      ]);
      for (const p of predictions) expect(Number.isInteger(p.id)).toBe(true);
    });

    it('equal probabilities keep the order they were saved in', async () => {
      const c = await saved(ctx.store, {
        predictions: ['b-mode', 'a-mode', 'c-mode'].map((failureMode) => ({ failureMode, probability: 0.5, modelProbability: 0.5, horizonMonths: 6 })),
      });
      expect((await ctx.store.consultations.predictions('T1', c.id)).map((p) => p.failureMode)).toEqual(['b-mode', 'a-mode', 'c-mode']);
    });

    it('estimates come in kind order, without an actual yet', async () => {
      const c = await saved(ctx.store);
      const estimates = await ctx.store.consultations.estimates('T1', c.id);
      expect(estimates.map(({ id, ...rest }) => rest)).toStrictEqual([
        { kind: 'cost', p10: 50_000, p50: 120_000.5, p90: 400_000, unit: 'USD', actual: null },
        { kind: 'time', p10: 2, p50: 4.5, p90: 9, unit: 'months', actual: null },
      ]);
    });

    it('save queues exactly one check-in job, due at the check-in', async () => {
      const c = await saved(ctx.store);
      expect(await ctx.store.jobs.get(`check-in:${c.id}`)).toStrictEqual({
        id: expect.any(Number),
        workspace: 'T1',
        kind: 'check-in',
        key: `check-in:${c.id}`,
        dueAt: c.checkInAt,
        payload: { consultationId: c.id },
        attempts: 0,
        doneAt: null,
        lastError: null,
      });
      expect(await ctx.store.jobs.pending()).toBe(1);
      expect((await ctx.store.tables.read('scheduled_jobs', 0, 10)).map((r) => r.created_at)).toEqual([START]);
    });

    it('save returns the row exactly as get reads it back, with and without a source and a history', async () => {
      const plain = consultation();
      expect(await ctx.store.consultations.save(plain)).toStrictEqual(await ctx.store.consultations.get('T1', plain.id));
      const full = consultation({ sourceUrl: 'https://x.slack.com/archives/C1/p1', history: { consultations: 2, stories: [{ text: 'ok', at: 1.5 }], none: null } });
      const row = await ctx.store.consultations.save(full);
      expect(row).toStrictEqual(await ctx.store.consultations.get('T1', full.id));
      expect(row).toMatchObject({ sourceUrl: full.sourceUrl, history: full.history, notAdopted: false, story: null, verdictUrl: null, followedAlternative: null });
    });

    it('save leaves a job that already has the check-in key alone', async () => {
      const c = consultation();
      await ctx.store.jobs.enqueue({ workspace: 'T1', kind: 'check-in', key: `check-in:${c.id}`, dueAt: START + 5, payload: { early: true } }, START);
      await ctx.store.consultations.save(c);
      expect(await ctx.store.jobs.get(`check-in:${c.id}`)).toMatchObject({ dueAt: START + 5, payload: { early: true } });
      expect(await ctx.store.jobs.pending()).toBe(1);
    });

    it('save is all or nothing', async () => {
      const broken = consultation({
        predictions: [
          { failureMode: 'same', probability: 0.3, modelProbability: 0.3, horizonMonths: 6 },
          { failureMode: 'same', probability: 0.4, modelProbability: 0.4, horizonMonths: 6 },
        ],
      });
      await expect(ctx.store.consultations.save(broken)).rejects.toThrow();
      expect(await ctx.store.tables.counts()).toMatchObject({ consultations: 0, predictions: 0, estimates: 0, scheduled_jobs: 0 });

      const c = await saved(ctx.store);
      await expect(ctx.store.consultations.save({ ...c, question: 'the same id again' })).rejects.toThrow();
      expect(await ctx.store.tables.counts()).toMatchObject({ consultations: 1, predictions: 3, estimates: 2, scheduled_jobs: 1 });
      expect((await ctx.store.consultations.get('T1', c.id))?.question).toBe(c.question);
    });

    it('listForUser: newest first (ties by id), limited, one user in one workspace', async () => {
      const a = await saved(ctx.store, { createdAt: START });
      const b = await saved(ctx.store, { createdAt: START + 1000 });
      const tied = [await saved(ctx.store, { createdAt: START + 2000 }), await saved(ctx.store, { createdAt: START + 2000 })];
      const other = await saved(ctx.store, { userId: 'U2', createdAt: START + 3000 });
      const elsewhere = await saved(ctx.store, { workspace: 'T2', createdAt: START + 4000 });
      const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

      expect(ids(await ctx.store.consultations.listForUser('T1', 'U1', 10))).toEqual([...tied.map((c) => c.id).sort(), b.id, a.id]);
      expect(ids(await ctx.store.consultations.listForUser('T1', 'U1', 1))).toEqual([tied.map((c) => c.id).sort()[0]]);
      expect(ids(await ctx.store.consultations.listForUser('T1', 'U2', 10))).toEqual([other.id]);
      expect(ids(await ctx.store.consultations.listForUser('T2', 'U1', 10))).toEqual([elsewhere.id]);
      expect(await ctx.store.consultations.listForUser('T3', 'U1', 10)).toEqual([]);
    });

    it('listForOperator: newest first over every workspace, or one', async () => {
      const a = await saved(ctx.store, { createdAt: START });
      const b = await saved(ctx.store, { workspace: 'T2', createdAt: START + 1 });
      const c = await saved(ctx.store, { userId: 'U9', createdAt: START + 2 });
      const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
      expect(ids(await ctx.store.consultations.listForOperator({ limit: 10 }))).toEqual([c.id, b.id, a.id]);
      expect(ids(await ctx.store.consultations.listForOperator({ limit: 2 }))).toEqual([c.id, b.id]);
      expect(ids(await ctx.store.consultations.listForOperator({ workspace: 'T1', limit: 10 }))).toEqual([c.id, a.id]);
      expect((await ctx.store.consultations.listForOperator({ workspace: 'T1', limit: 1 }))[0]).toStrictEqual(await ctx.store.consultations.get('T1', c.id));
    });

    it('countSince: per topic from the given time on, most first, then by name', async () => {
      await saved(ctx.store, { topic: 'kafka', createdAt: START - 1 });
      for (const topic of ['kubernetes', 'graphql', 'kafka', 'graphql', 'kubernetes']) await saved(ctx.store, { topic, createdAt: START });
      await saved(ctx.store, { topic: 'kafka', workspace: 'T2', createdAt: START });
      expect(await ctx.store.consultations.countSince('T1', START)).toStrictEqual([
        { topic: 'graphql', count: 2 },
        { topic: 'kubernetes', count: 2 },
        { topic: 'kafka', count: 1 },
      ]);
      expect(await ctx.store.consultations.countSince('T1', START + 1)).toEqual([]);
    });
  });

  describe('setCheckIn', () => {
    it("moves the check-in and re-arms its job (due again, attempts, lease and error cleared), dropping the reminder", async () => {
      const c = await saved(ctx.store);
      const key = `check-in:${c.id}`;
      // Run the job into a state to be reset: failed once, then leased again.
      const [first] = await ctx.store.jobs.claimDue(c.checkInAt, 60_000, 10);
      await ctx.store.jobs.fail(first!, 'boom', c.checkInAt);
      const retry = (await ctx.store.jobs.get(key))!.dueAt;
      // A lease that would outlast the moved check-in, had setCheckIn not cleared it.
      expect(await ctx.store.jobs.claimDue(retry, 365 * DAY_MS, 10)).toHaveLength(1);
      await ctx.store.jobs.enqueue({ workspace: 'T1', kind: 'check-in-reminder', key: `check-in-reminder:${c.id}`, dueAt: c.checkInAt + DAY_MS }, START);
      const later = START + 120 * DAY_MS;

      expect(await ctx.store.consultations.setCheckIn('T1', c.id, later)).toBe(true);

      expect((await ctx.store.consultations.get('T1', c.id))?.checkInAt).toBe(later);
      expect(await ctx.store.jobs.get(key)).toMatchObject({ dueAt: later, doneAt: null, attempts: 0, lastError: null });
      expect(await ctx.store.jobs.get(`check-in-reminder:${c.id}`)).toBeUndefined();
      // The lease is gone: the job is claimable the moment it is due.
      expect((await ctx.store.jobs.claimDue(later, 60_000, 10)).map((j) => [j.key, j.attempts])).toEqual([[key, 1]]);
    });

    it('re-opens a check-in job that had completed', async () => {
      const c = await saved(ctx.store);
      const [job] = await ctx.store.jobs.claimDue(c.checkInAt, 60_000, 10);
      await ctx.store.jobs.complete(job!.id, c.checkInAt + 1);
      expect(await ctx.store.jobs.pending()).toBe(0);
      expect(await ctx.store.consultations.setCheckIn('T1', c.id, c.checkInAt + DAY_MS)).toBe(true);
      expect(await ctx.store.jobs.get(`check-in:${c.id}`)).toMatchObject({ dueAt: c.checkInAt + DAY_MS, doneAt: null, attempts: 0 });
      expect(await ctx.store.jobs.pending()).toBe(1);
    });

    it('changes nothing from another workspace or for a missing consultation', async () => {
      const c = await saved(ctx.store);
      await ctx.store.jobs.enqueue({ workspace: 'T1', kind: 'check-in-reminder', key: `check-in-reminder:${c.id}`, dueAt: START }, START);
      expect(await ctx.store.consultations.setCheckIn('T2', c.id, START + DAY_MS)).toBe(false);
      expect(await ctx.store.consultations.setCheckIn('T1', 'rc-missing', START + DAY_MS)).toBe(false);
      expect((await ctx.store.consultations.get('T1', c.id))?.checkInAt).toBe(START + 90 * DAY_MS);
      expect((await ctx.store.jobs.get(`check-in:${c.id}`))?.dueAt).toBe(START + 90 * DAY_MS);
      expect(await ctx.store.jobs.get(`check-in-reminder:${c.id}`)).toBeDefined();
    });
  });
}
