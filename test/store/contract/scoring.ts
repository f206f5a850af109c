// Contract: the scoring sums the digest reads (scoring_groups) follow every answer, take-back, "we didn't
// adopt it" and "we followed the alternative", and say what scoring the resolved rows would say.
import { describe, expect, it } from 'vitest';
import { groupKey, scoreForecasts, type Scoring } from '../../../src/accuracy/groups.js';
import { mulberry32 } from '../../../src/accuracy/random.js';
import type { NewConsultation, Store } from '../../../src/store/index.js';
import { DAY_MS, randomAnswers, saved, START, type StoreContext } from './context.js';

/** The stored sums and the rows' own scoring agree: the same groups, counts and (to rounding) sums. */
export async function expectScoringOfRows(store: Store, workspace: string): Promise<Scoring> {
  const stored = await store.consultations.scoring(workspace);
  const expected = scoreForecasts(await store.consultations.resolvedForecasts(workspace));
  const byKey = (s: Scoring) => new Map(s.groups.map((g) => [groupKey(g), g]));
  const got = byKey(stored);
  expect([...got.keys()].sort(), workspace).toEqual([...byKey(expected).keys()].sort());
  for (const [key, g] of byKey(expected)) {
    const s = got.get(key)!;
    expect({ n: s.n, sumO: s.sumO }, key).toEqual({ n: g.n, sumO: g.sumO });
    expect(s.sumP, key).toBeCloseTo(g.sumP, 9);
    expect(s.sumSq, key).toBeCloseTo(g.sumSq, 9);
    expect(s.sumLog, key).toBeCloseTo(g.sumLog, 9);
  }
  expect(stored.consultations, workspace).toStrictEqual(expected.consultations);
  return stored;
}

export function scoringContract(ctx: StoreContext): void {
  describe('scoring sums', () => {
    it('are empty before anything is resolved', async () => {
      await saved(ctx.store, { workspace: 'T1' });
      expect(await ctx.store.consultations.scoring('T1')).toStrictEqual({ groups: [], consultations: { followed: 0, notFollowed: 0 } });
    });

    it('follow a random history of answers and agree with the rows, per workspace', async () => {
      const random = mulberry32(29);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
      const consultations: NewConsultation[] = [];
      for (let step = 0; step < 150; step++) {
        if (consultations.length < 4 || random() < 0.2) {
          // Probabilities on and near the calibration bins' edges, and knowledge versions that differ.
          const probabilities = [0.1, 0.3, 0.7, 0.9, 0.05 + 0.9 * random(), 0.2999999999, 0.6];
          const base = await saved(ctx.store, {
            workspace: pick(['T1', 'T2']), createdAt: START + step, knowledgeVersion: pick(['kb-1', 'kb-2']), topic: pick(['kubernetes', 'microservices']),
            predictions: [
              { failureMode: 'cost-overrun', probability: pick(probabilities), modelProbability: 0.45, horizonMonths: 12, severity: 'medium' },
              { failureMode: 'ops-burden', probability: pick(probabilities), modelProbability: 0.62, horizonMonths: 6, severity: 'high' },
              { failureMode: 'skills-gap', probability: pick(probabilities), modelProbability: 0.5, horizonMonths: 3 },
            ],
          });
          consultations.push(base);
          continue;
        }
        const c = pick(consultations);
        const failureModes = randomAnswers(c, random);
        const notAdopted = pick([undefined, undefined, undefined, true, false]);
        const followedAlternative = pick([undefined, undefined, true, false, null]);
        await ctx.store.consultations.recordOutcomes(c.workspace, c.id, {
          failureModes,
          ...(notAdopted === undefined ? {} : { notAdopted }),
          ...(followedAlternative === undefined ? {} : { followedAlternative }),
        }, 'U1', START + DAY_MS + step);
      }
      const t1 = await expectScoringOfRows(ctx.store, 'T1');
      await expectScoringOfRows(ctx.store, 'T2');
      expect(t1.groups.length).toBeGreaterThan(3);
      expect(t1.consultations.followed + t1.consultations.notFollowed).toBeGreaterThan(0);
    });

    it('leave no empty group behind when an answer is taken back', async () => {
      const c = await saved(ctx.store, { workspace: 'T1' });
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': true }, followedAlternative: true }, 'U1', START + DAY_MS);
      expect((await ctx.store.consultations.scoring('T1')).groups).toHaveLength(1);
      await ctx.store.consultations.recordOutcomes('T1', c.id, { failureModes: { 'ops-burden': null } }, 'U1', START + 2 * DAY_MS);
      expect(await ctx.store.consultations.scoring('T1')).toStrictEqual({ groups: [], consultations: { followed: 0, notFollowed: 0 } });
      expect((await ctx.store.tables.read('scoring_groups', 0, 100)).filter((r) => r.workspace === 'T1' && Number(r.n) !== 0)).toEqual([]);
    });
  });
}
