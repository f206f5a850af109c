import { describe, expect, it } from 'vitest';
import { assess, riskScoreOf, verdictOf } from '../../src/consult/assess.js';
import { roundHalf, roundQuantiles, roundSignificant, sumQuantiles, type Quantiles } from '../../src/consult/ranges.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);

const BASE = { hosting: 'managed', 'service-count': '6-30', stateful: 'none' };
const STRUGGLING = { ...BASE, 'team-size': 'under-10', 'platform-team': 'none', 'k8s-experience': 'none', oncall: 'none', stateful: 'primary', hosting: 'self-cloud' };
const READY = { ...BASE, 'team-size': '10-50', 'platform-team': 'dedicated', 'k8s-experience': 'deep', oncall: 'established' };

describe('assess', () => {
  it.each([
    ['a small team with no experience running databases on self-managed clusters', STRUGGLING, 'not-yet'],
    ['a team with a platform team and years of experience', READY, 'adopt'],
  ])('%s → %s', (_name, answers, verdict) => {
    expect(assess(kb, 'kubernetes', answers).verdict).toBe(verdict);
  });

  it('says what to do instead of a "not yet", picking the alternative that fits the answers', () => {
    const a = assess(kb, 'kubernetes', STRUGGLING);
    expect(a.instead?.id).toBe('vm-config-management');
    expect(a.alternatives[0]!.recommended).toBe(true);
  });

  it('moves probabilities by odds and names the answers that drove them', () => {
    const fm = assess(kb, 'kubernetes', STRUGGLING).failureModes.find((f) => f.id === 'learning-curve-stall')!;
    // base 0.45, odds ×2.2 (no experience) ×1.6 (no platform team)
    const odds = (0.45 / 0.55) * 2.2 * 1.6;
    expect(fm.probability).toBeCloseTo(odds / (1 + odds), 10);
    expect(fm.drivers.map((d) => d.questionId).sort()).toEqual(['k8s-experience', 'platform-team']);
    expect(fm.drivers[0]!.answer).toBe('Nobody');
  });

  it('orders failure modes from most to least likely', () => {
    const ps = assess(kb, 'kubernetes', STRUGGLING).failureModes.map((f) => f.probability);
    expect(ps).toEqual([...ps].sort((a, b) => b - a));
  });

  it('gives heavy-tailed ranges: p10 < p50 < p90 and p90 further above p50 than p10 below', () => {
    const a = assess(kb, 'kubernetes', READY);
    expect(a.cost.p10).toBeLessThan(a.cost.p50);
    expect(a.cost.p90 / a.cost.p50).toBeGreaterThan(a.cost.p50 / a.cost.p10);
    expect(a.time.p10).toBeLessThan(a.time.p50);
    expect(a.time.p90 - a.time.p50).toBeGreaterThan(a.time.p50 - a.time.p10);
  });

  it('scales time with the answers (no experience takes longer)', () => {
    const slow = assess(kb, 'kubernetes', { ...READY, 'k8s-experience': 'none' });
    expect(slow.time.p50).toBeGreaterThan(assess(kb, 'kubernetes', READY).time.p50);
  });

  it('finds tipping points that really flip the verdict', () => {
    const a = assess(kb, 'kubernetes', READY);
    expect(a.tippingPoints.length).toBeGreaterThan(0);
    for (const t of a.tippingPoints) {
      const flipped = assess(kb, 'kubernetes', { ...READY, [t.questionId]: t.toChoiceId });
      expect(flipped.verdict).toBe(t.verdict);
      expect(t.verdict).not.toBe(a.verdict);
    }
  });

  it('is deterministic and records the knowledge version', () => {
    expect(assess(kb, 'kubernetes', READY)).toEqual(assess(kb, 'kubernetes', READY));
    expect(assess(kb, 'kubernetes', READY).knowledgeVersion).toBe(kb.version);
  });

  it('applies a learned recalibration and keeps the model figure beside it', () => {
    const a = assess(kb, 'kubernetes', READY, { recalibrate: { probability: (_t, _f, p) => Math.min(0.99, p * 2), outcomes: () => 57 } });
    const fm = a.failureModes[0]!;
    expect(fm.probability).toBeCloseTo(Math.min(0.99, fm.modelProbability * 2), 10);
    expect(fm.calibration).toEqual({ outcomes: 57 });
  });

  it('without learning, shows the knowledge base\'s quantiles and says so under model', () => {
    const a = assess(kb, 'kubernetes', READY);
    for (const range of [a.cost, a.time]) {
      expect(range.model).toEqual({ p10: range.p10, p50: range.p50, p90: range.p90 });
      expect(range.learned).toBeUndefined();
    }
  });

  it.each([
    { name: 'costs and months 1.8×', factor: 1.8, spread: 1 },
    { name: 'right median, twice as wide', factor: 1, spread: 2 },
    { name: 'half, and narrower', factor: 0.5, spread: 0.6 },
  ])('a learned range adjustment ($name) is shown, with the model quantiles kept beside it', ({ factor, spread }) => {
    const seen: Array<{ topic: string; kind: string; q: Quantiles }> = [];
    const a = assess(kb, 'kubernetes', READY, {
      adjustRange: (topic, kind, q) => {
        seen.push({ topic, kind, q });
        const p50 = q.p50 * factor;
        return { p10: p50 * (q.p10 / q.p50) ** spread, p50, p90: p50 * (q.p90 / q.p50) ** spread, factor, spread, outcomes: 7 };
      },
    });
    const plain = assess(kb, 'kubernetes', READY);
    expect(seen.map((x) => `${x.topic}/${x.kind}`)).toEqual(['kubernetes/cost', 'kubernetes/time']);
    for (const kind of ['cost', 'time'] as const) {
      const raw = seen.find((x) => x.kind === kind)!.q;
      // The adjustment gets the quantiles before rounding; what is shown is rounded as always.
      expect(roundQuantiles(kind, raw)).toEqual(plain[kind].model);
      expect(a[kind].model).toEqual(plain[kind].model);
      const p50 = raw.p50 * factor;
      expect({ p10: a[kind].p10, p50: a[kind].p50, p90: a[kind].p90 }).toEqual(
        roundQuantiles(kind, { p10: p50 * (raw.p10 / raw.p50) ** spread, p50, p90: p50 * (raw.p90 / raw.p50) ** spread }),
      );
      expect(a[kind].learned).toEqual({ factor, spread, outcomes: 7 });
    }
    expect(a.time.p50).toBe(roundHalf(seen[1]!.q.p50 * factor));
    // The verdict is about failure modes; ranges do not move it.
    expect(a.verdict).toBe(plain.verdict);
  });

  it('an adjustment that rounds away is not reported as learned', () => {
    const a = assess(kb, 'kubernetes', READY, { adjustRange: (_t, _k, q) => ({ ...q, factor: 1, spread: 1.0001, outcomes: 9 }) });
    expect(a.cost.learned).toBeUndefined();
    expect(a.time.learned).toBeUndefined();
    expect(a.cost.p50).toBe(a.cost.model.p50);
  });

  it('refuses an unknown topic with the known ones listed', () => {
    expect(() => assess(kb, 'blockchain', {})).toThrow(/Unknown topic "blockchain". Expected one of: .*kubernetes/);
  });
});

describe('verdict rules', () => {
  it.each([
    [[{ probability: 0.1, severity: 'high' as const }], 'adopt'],
    [[{ probability: 0.3, severity: 'medium' as const }], 'adopt-with-guardrails'],
    [[{ probability: 0.45, severity: 'high' as const }, { probability: 0.05, severity: 'low' as const }], 'adopt-with-guardrails'],
    [[{ probability: 0.5, severity: 'medium' as const }], 'not-yet'],
    [[{ probability: 0.65, severity: 'high' as const }, { probability: 0.62, severity: 'high' as const }, ...Array(20).fill({ probability: 0.01, severity: 'high' as const })], 'not-yet'],
  ])('%j → %s', (modes, verdict) => {
    expect(verdictOf(modes)).toBe(verdict);
  });

  it('weights severity 1:2:3', () => {
    expect(riskScoreOf([{ probability: 1, severity: 'high' }, { probability: 0, severity: 'low' }])).toBeCloseTo(0.75);
  });
});

describe('ranges', () => {
  it('a single component keeps its median and p90', () => {
    const q = sumQuantiles([{ likely: 100, high: 300 }]);
    expect(q.p50).toBeCloseTo(100, 6);
    expect(q.p90).toBeCloseTo(300, 6);
  });

  it('the sum of components has a median above the sum of medians (right skew)', () => {
    const q = sumQuantiles([{ likely: 100, high: 400 }, { likely: 100, high: 400 }]);
    expect(q.p50).toBeGreaterThan(200);
    expect(q.p90).toBeLessThan(800);
  });

  it.each([[1234567, 1230000], [0.012345, 0.0123], [999.6, 1000]])('rounds %d to three significant figures', (x, y) => {
    expect(roundSignificant(x)).toBeCloseTo(y, 10);
  });
});
