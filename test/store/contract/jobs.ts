// Contract: durable jobs — a key runs once, claiming leases due jobs in order, expired leases are taken
// over, failures back off until MAX_ATTEMPTS closes the job, and cancelling spares leased and done jobs.
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, type Job } from '../../../src/store/index.js';
import { START, type StoreContext } from './context.js';

const MINUTE = 60_000;

export function jobsContract(ctx: StoreContext): void {
  const enqueue = (key: string, dueAt: number, extra: { workspace?: string; kind?: string; payload?: Record<string, unknown> } = {}) =>
    ctx.store.jobs.enqueue({ workspace: extra.workspace ?? 'T1', kind: extra.kind ?? 'digest', key, dueAt, ...(extra.payload ? { payload: extra.payload } : {}) }, START);

  describe('jobs', () => {
    it('enqueue adds a key once, done or not, and keeps the first payload', async () => {
      expect(await enqueue('k1', START, { payload: { n: 1, nested: { ok: true } } })).toBe(true);
      expect(await enqueue('k1', START + 5, { payload: { n: 2 } })).toBe(false);
      expect(await ctx.store.jobs.get('k1')).toStrictEqual({
        id: expect.any(Number),
        workspace: 'T1',
        kind: 'digest',
        key: 'k1',
        dueAt: START,
        payload: { n: 1, nested: { ok: true } },
        attempts: 0,
        doneAt: null,
        lastError: null,
      });
      const [job] = await ctx.store.jobs.claimDue(START, MINUTE, 10);
      await ctx.store.jobs.complete(job!.id, START + 1);
      expect(await enqueue('k1', START + 10)).toBe(false);
      expect(await enqueue('k2', START)).toBe(true);
      expect((await ctx.store.jobs.get('k2'))?.payload).toEqual({});
      expect(await ctx.store.jobs.get('missing')).toBeUndefined();
    });

    it('claimDue takes due jobs only, oldest first (ties by id), up to the limit, counting the attempt', async () => {
      await enqueue('late', START + 10);
      await enqueue('b', START - 5);
      await enqueue('a', START - 5);
      await enqueue('c', START - 10);
      await enqueue('now', START);

      const claimed = await ctx.store.jobs.claimDue(START, MINUTE, 3);
      expect(claimed.map((j) => [j.key, j.attempts])).toEqual([
        ['c', 1],
        ['b', 1],
        ['a', 1],
      ]);
      expect(claimed[0]).toStrictEqual({ id: expect.any(Number), workspace: 'T1', kind: 'digest', key: 'c', dueAt: START - 10, payload: {}, attempts: 1 });
      expect((await ctx.store.jobs.claimDue(START, MINUTE, 10)).map((j) => j.key)).toEqual(['now']);
      expect(await ctx.store.jobs.claimDue(START, MINUTE, 10)).toEqual([]);
      expect((await ctx.store.jobs.get('late'))?.attempts).toBe(0);
    });

    it('a leased job is skipped until its lease has ended, then taken over with another attempt', async () => {
      await enqueue('k', START);
      expect(await ctx.store.jobs.claimDue(START, MINUTE, 10)).toHaveLength(1);
      expect(await ctx.store.jobs.claimDue(START + MINUTE - 1, MINUTE, 10)).toEqual([]);
      expect(await ctx.store.jobs.claimDue(START + MINUTE, MINUTE, 10)).toEqual([]);
      expect((await ctx.store.jobs.claimDue(START + MINUTE + 1, MINUTE, 10)).map((j) => j.attempts)).toEqual([2]);
      expect((await ctx.store.jobs.get('k'))?.attempts).toBe(2);
    });

    it('complete closes the job: never claimed again, no longer pending', async () => {
      await enqueue('k', START);
      const [job] = await ctx.store.jobs.claimDue(START, MINUTE, 10);
      await ctx.store.jobs.fail(job!, 'first try failed', START);
      const [again] = await ctx.store.jobs.claimDue(START + 2 * MINUTE, MINUTE, 10);
      await ctx.store.jobs.complete(again!.id, START + 2 * MINUTE + 5);
      expect(await ctx.store.jobs.get('k')).toMatchObject({ doneAt: START + 2 * MINUTE + 5, lastError: null, attempts: 2 });
      expect(await ctx.store.jobs.pending()).toBe(0);
      expect(await ctx.store.jobs.claimDue(START + 365 * 86_400_000, MINUTE, 10)).toEqual([]);
    });

    it('fail retries with a doubling backoff, keeping the error (500 characters at most)', async () => {
      await enqueue('k', START);
      const [job] = await ctx.store.jobs.claimDue(START, 10 * MINUTE, 10);
      const at = START + 1000;
      await ctx.store.jobs.fail(job!, 'x'.repeat(600), at);
      const failed = await ctx.store.jobs.get('k');
      expect(failed).toMatchObject({ dueAt: at + MINUTE, doneAt: null, attempts: 1 });
      expect(failed?.lastError).toBe('x'.repeat(500));
      // The lease is released: claimable as soon as the retry is due, long before the 10-minute lease would end.
      expect(await ctx.store.jobs.claimDue(at + MINUTE - 1, MINUTE, 10)).toEqual([]);
      const [second] = await ctx.store.jobs.claimDue(at + MINUTE, MINUTE, 10);
      expect(second?.attempts).toBe(2);

      const backoff = async (attempts: number): Promise<number> => {
        await ctx.store.jobs.fail({ ...second!, attempts }, 'again', at);
        return (await ctx.store.jobs.get('k'))!.dueAt - at;
      };
      expect(await backoff(2)).toBe(2 * MINUTE);
      expect(await backoff(3)).toBe(4 * MINUTE);
      // The last retry before MAX_ATTEMPTS closes the job (the one-hour cap lies beyond it).
      expect(await backoff(MAX_ATTEMPTS - 1)).toBe(Math.min(60 * MINUTE, MINUTE * 2 ** (MAX_ATTEMPTS - 2)));
      expect((await ctx.store.jobs.get('k'))?.lastError).toBe('again');
    });

    it(`after ${MAX_ATTEMPTS} attempts a failure closes the job with its last error`, async () => {
      await enqueue('k', START);
      let now = START;
      let job: Job | undefined;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        [job] = await ctx.store.jobs.claimDue(now, MINUTE, 10);
        expect(job?.attempts).toBe(attempt);
        await ctx.store.jobs.fail(job!, `failure ${attempt}`, now);
        now += 2 * 60 * MINUTE;
      }
      const closed = await ctx.store.jobs.get('k');
      expect(closed).toMatchObject({ attempts: MAX_ATTEMPTS, doneAt: now - 2 * 60 * MINUTE, lastError: `failure ${MAX_ATTEMPTS}` });
      expect(await ctx.store.jobs.claimDue(now + 365 * 86_400_000, MINUTE, 10)).toEqual([]);
      expect(await ctx.store.jobs.pending()).toBe(0);
    });

    it("cancelPending drops a workspace's pending jobs of a kind (or all kinds), sparing leased, done and other workspaces' jobs", async () => {
      await enqueue('d1', START + 1);
      await enqueue('d2', START);
      await enqueue('leased', START - 1);
      await enqueue('done', START - 2);
      await enqueue('c1', START + 1, { kind: 'check-in' });
      await enqueue('other', START + 1, { workspace: 'T2' });
      const [done, leased] = await ctx.store.jobs.claimDue(START - 1, MINUTE, 2);
      expect([done?.key, leased?.key]).toEqual(['done', 'leased']);
      await ctx.store.jobs.complete(done!.id, START);

      expect(await ctx.store.jobs.cancelPending('T1', 'digest')).toBe(2);
      expect(await ctx.store.jobs.get('d1')).toBeUndefined();
      expect(await ctx.store.jobs.get('d2')).toBeUndefined();
      for (const key of ['leased', 'done', 'c1', 'other']) expect(await ctx.store.jobs.get(key)).toBeDefined();

      expect(await ctx.store.jobs.cancelPending('T1')).toBe(1);
      expect(await ctx.store.jobs.get('c1')).toBeUndefined();
      expect(await ctx.store.jobs.cancelPending('T1')).toBe(0);
      expect(await ctx.store.jobs.get('other')).toBeDefined();
    });

    it('lag is how late the oldest due job is; pending counts jobs not done', async () => {
      expect(await ctx.store.jobs.lag(START)).toBe(0);
      expect(await ctx.store.jobs.pending()).toBe(0);
      await enqueue('future', START + 10);
      expect(await ctx.store.jobs.lag(START)).toBe(0);
      await enqueue('old', START - 500);
      await enqueue('older', START - 900);
      expect(await ctx.store.jobs.lag(START)).toBe(900);
      expect(await ctx.store.jobs.pending()).toBe(3);
      const [oldest] = await ctx.store.jobs.claimDue(START, MINUTE, 1);
      // Leased is still waiting to be done; done is not.
      expect(await ctx.store.jobs.lag(START)).toBe(900);
      await ctx.store.jobs.complete(oldest!.id, START);
      expect(await ctx.store.jobs.lag(START)).toBe(500);
      expect(await ctx.store.jobs.pending()).toBe(2);
    });

    it('claims made at the same moment never share a job', async () => {
      for (let i = 0; i < 30; i++) await enqueue(`k${String(i).padStart(2, '0')}`, START - i);
      const batches = await Promise.all([1, 2, 3, 4].map(() => ctx.store.jobs.claimDue(START, MINUTE, 10)));
      const keys = batches.flat().map((j) => j.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.length).toBe(30);
    });
  });
}
