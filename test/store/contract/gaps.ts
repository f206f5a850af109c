// Contract: what the knowledge base is missing, counted per workspace — one count per question and
// term, the most asked first, never mixed across workspaces except in the operator's summed view.
import { describe, expect, it } from 'vitest';
import { START, type StoreContext } from './context.js';

export function gapsContract(ctx: StoreContext): void {
  describe('detection gaps', () => {
    it('counts each term once per question, most asked first, ties by term', async () => {
      await ctx.store.gaps.record('T1', ['kafka', 'kafka'], START);
      await ctx.store.gaps.record('T1', ['kafka', 'graphql'], START + 1);
      await ctx.store.gaps.record('T1', ['serverless'], START + 2);
      expect(await ctx.store.gaps.top({ workspace: 'T1', limit: 10 })).toEqual([
        { term: 'kafka', asks: 2, lastSeen: START + 1 },
        { term: 'graphql', asks: 1, lastSeen: START + 1 },
        { term: 'serverless', asks: 1, lastSeen: START + 2 },
      ]);
      expect(await ctx.store.gaps.top({ workspace: 'T1', limit: 1 })).toEqual([{ term: 'kafka', asks: 2, lastSeen: START + 1 }]);
    });

    it('keeps workspaces apart; the operator view sums them', async () => {
      await ctx.store.gaps.record('T1', ['kafka'], START);
      await ctx.store.gaps.record('T2', ['kafka', 'graphql'], START + 5);
      await ctx.store.gaps.record('T2', ['graphql'], START + 6);
      expect(await ctx.store.gaps.top({ workspace: 'T1', limit: 10 })).toEqual([{ term: 'kafka', asks: 1, lastSeen: START }]);
      expect(await ctx.store.gaps.top({ limit: 10 })).toEqual([
        { term: 'graphql', asks: 2, lastSeen: START + 6 },
        { term: 'kafka', asks: 2, lastSeen: START + 5 },
      ]);
      await ctx.store.gaps.record('T3', [], START);
      expect(await ctx.store.gaps.top({ workspace: 'T3', limit: 10 })).toEqual([]);
    });

    it('go with a purged workspace', async () => {
      await ctx.store.gaps.record('T1', ['kafka'], START);
      await ctx.store.gaps.record('T2', ['kafka'], START);
      const deleted = await ctx.store.workspaces.purge('T1');
      expect(deleted.detection_gaps).toBe(1);
      expect(await ctx.store.gaps.top({ limit: 10 })).toEqual([{ term: 'kafka', asks: 1, lastSeen: START }]);
    });
  });
}
