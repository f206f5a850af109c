// The cost/time half of `npm run bench:calibration`: simulated workspaces whose actuals come from a
// known world, learned ranges scored on held-out consultations against the knowledge base's own.
import { applyLearnedRange, learnRanges, type RangeKind, type RangeLearningOptions, type RangeSample } from '../src/accuracy/learned-ranges.js';
import { mulberry32 } from '../src/accuracy/random.js';
import { median } from '../src/accuracy/validate.js';
import { assess } from '../src/consult/assess.js';
import { applicableQuestions } from '../src/consult/questionnaire.js';
import { roundQuantiles, type Quantiles } from '../src/consult/ranges.js';
import type { KnowledgeBase } from '../src/knowledge/load.js';

const Z90 = 1.2815515655446004;
const KINDS: RangeKind[] = ['cost', 'time'];

interface Consultation {
  topic: string;
  /** As shown and stored (rounded): what raw predictions are scored on and learning learns from. */
  cost: Quantiles;
  time: Quantiles;
  /** Before rounding: what the world is built on and what assess hands the learned adjustment. */
  exact: Record<RangeKind, Quantiles>;
}

/**
 * A world: the true median is `factor` × the knowledge base's p50, and the truth spreads around it
 * `spread` times as wide as the knowledge base's own p10/p90 say (a split lognormal, so with factor 1
 * and spread 1 the knowledge base is exactly right: 80% of actuals inside p10–p90).
 */
export interface World {
  name: string;
  factor: number;
  spread: number;
}

export interface RangeScores {
  /** Share of held-out actuals inside p10–p90. */
  hitRate: number;
  /** Median over held-out consultations of |ln(actual / p50)|, averaged over workspaces. */
  medianAbsLogError: number;
}

export interface RangeRow {
  outcomes: number;
  learned: Record<RangeKind, RangeScores>;
}

export interface WorldResult {
  world: World;
  raw: Record<RangeKind, RangeScores>;
  oracle: Record<RangeKind, RangeScores>;
  rows: RangeRow[];
}

/** Random answers to every applicable question, `count` times: the knowledge base's own quantiles. */
export function consultationPool(kb: KnowledgeBase, count: number, random: () => number): Consultation[] {
  const topics = [...kb.topics.values()];
  return Array.from({ length: count }, () => {
    const topic = topics[Math.floor(random() * topics.length)]!;
    const answers: Record<string, string> = {};
    for (let q = applicableQuestions(topic, answers).find((x) => !answers[x.id]); q; q = applicableQuestions(topic, answers).find((x) => !answers[x.id])) {
      answers[q.id] = q.choices[Math.floor(random() * q.choices.length)]!.id;
    }
    const exact = {} as Record<RangeKind, Quantiles>;
    const a = assess(kb, topic.id, answers, {
      skipTippingPoints: true,
      adjustRange: (_topic, kind, q) => {
        exact[kind] = q;
        return undefined;
      },
    });
    return { topic: topic.id, cost: a.cost.model, time: a.time.model, exact };
  });
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function truthOf(world: World, q: Quantiles): Quantiles {
  const p50 = q.p50 * world.factor;
  return { p10: p50 * (q.p10 / q.p50) ** world.spread, p50, p90: p50 * (q.p90 / q.p50) ** world.spread };
}

function draw(world: World, q: Quantiles, random: () => number): number {
  const t = truthOf(world, q);
  const z = gaussian(random);
  return t.p50 * Math.exp((z * Math.log(z < 0 ? t.p50 / t.p10 : t.p90 / t.p50)) / Z90);
}

interface Case {
  topic: string;
  kind: RangeKind;
  model: Quantiles;
  exact: Quantiles;
  actual: number;
}

function scores(cases: ReadonlyArray<{ q: Quantiles; actual: number }>): { hits: number; male: number } {
  const hits = cases.filter((c) => c.q.p10 <= c.actual && c.actual <= c.q.p90).length;
  return { hits, male: median(cases.map((c) => Math.abs(Math.log(c.actual / c.q.p50)))) ?? 0 };
}

function emptyScores(): Record<RangeKind, { hits: number; n: number; male: number }> {
  return { cost: { hits: 0, n: 0, male: 0 }, time: { hits: 0, n: 0, male: 0 } };
}

function finish(acc: Record<RangeKind, { hits: number; n: number; male: number }>, workspaces: number): Record<RangeKind, RangeScores> {
  const one = (k: RangeKind): RangeScores => ({ hitRate: acc[k].hits / acc[k].n, medianAbsLogError: acc[k].male / workspaces });
  return { cost: one('cost'), time: one('time') };
}

/**
 * `workspaces` simulated workspaces: each resolves up to max(steps) consultations (a cost and a time
 * actual each) and is scored on `heldOut` consultations it never learned from.
 */
export function simulateWorld(
  pool: readonly Consultation[],
  world: World,
  options: { seed: number; workspaces: number; steps: readonly number[]; heldOut: number; learning?: RangeLearningOptions },
): WorldResult {
  const random = mulberry32(options.seed);
  const pick = (): Consultation => pool[Math.floor(random() * pool.length)]!;
  const cases = (count: number): Case[] =>
    Array.from({ length: count }, pick).flatMap((c) => KINDS.map((kind) => ({ topic: c.topic, kind, model: c[kind], exact: c.exact[kind], actual: draw(world, c.exact[kind], random) })));
  const maxSteps = Math.max(...options.steps);
  const raw = emptyScores();
  const oracle = emptyScores();
  const learned = options.steps.map(() => emptyScores());
  for (let w = 0; w < options.workspaces; w++) {
    const training = cases(maxSteps);
    const test = cases(options.heldOut);
    for (const kind of KINDS) {
      const mine = test.filter((c) => c.kind === kind);
      const r = scores(mine.map((c) => ({ q: c.model, actual: c.actual })));
      raw[kind].hits += r.hits;
      raw[kind].n += mine.length;
      raw[kind].male += r.male;
      const o = scores(mine.map((c) => ({ q: truthOf(world, c.exact), actual: c.actual })));
      oracle[kind].hits += o.hits;
      oracle[kind].n += mine.length;
      oracle[kind].male += o.male;
    }
    options.steps.forEach((n, i) => {
      const samples: RangeSample[] = training.slice(0, 2 * n).map((c) => ({ topic: c.topic, kind: c.kind, ...c.model, actual: c.actual }));
      const model = learnRanges(samples, options.learning);
      for (const kind of KINDS) {
        const mine = test.filter((c) => c.kind === kind);
        const s = scores(
          mine.map((c) => {
            const adjusted = applyLearnedRange(model, c.topic, kind, c.exact);
            return { q: adjusted ? roundQuantiles(kind, adjusted) : c.model, actual: c.actual };
          }),
        );
        const acc = learned[i]![kind];
        acc.hits += s.hits;
        acc.n += mine.length;
        acc.male += s.male;
      }
    });
  }
  return {
    world,
    raw: finish(raw, options.workspaces),
    oracle: finish(oracle, options.workspaces),
    rows: options.steps.map((outcomes, i) => ({ outcomes, learned: finish(learned[i]!, options.workspaces) })),
  };
}

export interface Goal {
  name: string;
  pass: boolean;
  detail: string;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** With the world off by a factor: hit-rate 80% ± 5% and the median |log error| halved by `at` outcomes. */
export function shiftedWorldGoals(r: WorldResult, at: number, options: { halving: boolean }): Goal[] {
  const row = r.rows.find((x) => x.outcomes === at)!;
  const goals: Goal[] = [];
  for (const kind of KINDS) {
    const hit = row.learned[kind].hitRate;
    goals.push({ name: `${r.world.name}: ${kind} hit-rate within 80% ± 5% at ${at} outcomes`, pass: Math.abs(hit - 0.8) <= 0.05, detail: `${pct(hit)} (raw ${pct(r.raw[kind].hitRate)})` });
    if (options.halving) {
      const ratio = row.learned[kind].medianAbsLogError / r.raw[kind].medianAbsLogError;
      const best = r.oracle[kind].medianAbsLogError / r.raw[kind].medianAbsLogError;
      goals.push({ name: `${r.world.name}: ${kind} median |log error| halved at ${at} outcomes`, pass: ratio <= 0.5, detail: `${ratio.toFixed(2)}× raw (knowing the truth: ${best.toFixed(2)}×)` });
    }
  }
  return goals;
}

/** With the world as the knowledge base says: learning makes nothing worse than raw by more than 2%. */
export function matchedWorldGoals(r: WorldResult): Goal[] {
  const goals: Goal[] = [];
  for (const kind of KINDS) {
    const worstHit = Math.max(...r.rows.map((x) => Math.abs(x.learned[kind].hitRate - 0.8) - Math.abs(r.raw[kind].hitRate - 0.8)));
    goals.push({ name: `${r.world.name}: ${kind} hit-rate no further from 80% than raw's + 2 points, at every count`, pass: worstHit <= 0.02, detail: `worst ${(worstHit * 100).toFixed(1)} points` });
    const worstMale = Math.max(...r.rows.map((x) => x.learned[kind].medianAbsLogError / r.raw[kind].medianAbsLogError));
    goals.push({ name: `${r.world.name}: ${kind} median |log error| at most 2% above raw, at every count`, pass: worstMale <= 1.02, detail: `worst ${worstMale.toFixed(3)}× raw` });
  }
  return goals;
}

export function formatWorld(r: WorldResult): string[] {
  const lines = [
    `${r.world.name}: truth = ${r.world.factor}× the knowledge base's median, ${r.world.spread === 1 ? 'its own' : `${r.world.spread}× its`} spread`,
    '  outcomes  cost hit  cost med|log err|  time hit  time med|log err|',
    `  raw       ${pct(r.raw.cost.hitRate).padStart(6)}    ${r.raw.cost.medianAbsLogError.toFixed(3)}              ${pct(r.raw.time.hitRate).padStart(6)}    ${r.raw.time.medianAbsLogError.toFixed(3)}`,
  ];
  for (const row of r.rows) {
    lines.push(
      `  ${String(row.outcomes).padStart(8)}  ${pct(row.learned.cost.hitRate).padStart(6)}    ${row.learned.cost.medianAbsLogError.toFixed(3)}              ${pct(row.learned.time.hitRate).padStart(6)}    ${row.learned.time.medianAbsLogError.toFixed(3)}`,
    );
  }
  lines.push(`  oracle    ${pct(r.oracle.cost.hitRate).padStart(6)}    ${r.oracle.cost.medianAbsLogError.toFixed(3)}              ${pct(r.oracle.time.hitRate).padStart(6)}    ${r.oracle.time.medianAbsLogError.toFixed(3)}`);
  return lines;
}
