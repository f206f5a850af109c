// Scores a topic's answers: failure-mode probabilities (odds moved by risk rules), cost and time
// quantiles, the verdict, the single answer changes that would flip it, and what to do instead.
import { AppError } from '../errors.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Topic } from '../knowledge/schema.js';
import { conditionHolds, findQuestion, pruneAnswers, type Answers } from './questionnaire.js';
import { roundQuantiles, roundSignificant, sumQuantiles, type Quantiles } from './ranges.js';

export type Verdict = 'adopt' | 'adopt-with-guardrails' | 'not-yet';

export interface Driver {
  questionId: string;
  question: string;
  choiceId: string;
  answer: string;
  /** Odds multiplier for failure modes, range factor for cost and time. */
  effect: number;
  why: string;
}

export interface FailureModeAssessment {
  id: string;
  name: string;
  description: string;
  severity: 'low' | 'medium' | 'high';
  horizonMonths: number;
  sign: string;
  base: number;
  /** The knowledge base's probability for these answers, before any learning from outcomes. */
  modelProbability: number;
  probability: number;
  drivers: Driver[];
  calibration?: { outcomes: number };
}

export interface AlternativeAssessment {
  id: string;
  name: string;
  summary: string;
  fits: string;
  recommended: boolean;
}

export interface TippingPoint {
  questionId: string;
  question: string;
  from: string;
  to: string;
  toChoiceId: string;
  verdict: Verdict;
}

export interface Assessment {
  topic: string;
  title: string;
  claim: string;
  knowledgeVersion: string;
  answers: Record<string, string>;
  verdict: Verdict;
  /** Severity-weighted mean failure probability, 0–1. */
  riskScore: number;
  /** For "not yet": the alternative to do instead. */
  instead?: AlternativeAssessment;
  failureModes: FailureModeAssessment[];
  /** p10/p50/p90 as shown: learned from this workspace's outcomes when `learned` is set, else `model`. */
  cost: Quantiles & RangeLearning & { unit: 'USD'; basis: string; components: Array<{ id: string; name: string; category: string; low: number; likely: number; high: number; drivers: Driver[] }> };
  time: Quantiles & RangeLearning & { unit: 'months'; drivers: Driver[] };
  tippingPoints: TippingPoint[];
  alternatives: AlternativeAssessment[];
  cliffs: KnowledgeBase['cliffs'];
  orgLimits: KnowledgeBase['orgLimits'];
}

/** What outcomes did to a cost or time range. */
export interface RangeLearning {
  /** The knowledge base's own quantiles for these answers, before any learning from outcomes. */
  model: Quantiles;
  /** Present only when learning moved the quantiles shown: factor on the median, spread on the width. */
  learned?: { factor: number; spread: number; outcomes: number };
}

/** Learned adjustment of failure modes' probabilities (see src/accuracy/recalibrate.ts). */
export interface Recalibrator {
  /** The learned probability for the model's `p`, or undefined when nothing was learned for this mode. */
  probability(topicId: string, failureModeId: string, p: number): number | undefined;
  /** How many outcomes that learning rests on. */
  outcomes(topicId: string, failureModeId: string): number;
}

/** Learned adjustment of a cost or time range (see src/accuracy/learned-ranges.ts). */
export type RangeAdjuster = (
  topicId: string,
  kind: 'cost' | 'time',
  q: Quantiles,
) => (Quantiles & { factor: number; spread: number; outcomes: number }) | undefined;

export interface AssessOptions {
  recalibrate?: Recalibrator;
  adjustRange?: RangeAdjuster;
  /** Skip the what-if search (used by the search itself). */
  skipTippingPoints?: boolean;
}

const SEVERITY_WEIGHT = { low: 1, medium: 2, high: 3 } as const;
export const VERDICT_THRESHOLDS = { guardrails: 0.25, notYet: 0.4 } as const;

export const VERDICT_LABELS: Record<Verdict, string> = {
  adopt: 'Adopt',
  'adopt-with-guardrails': 'Adopt with guardrails',
  'not-yet': 'Not yet',
};

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

export function getTopic(kb: KnowledgeBase, topicId: string): Topic {
  const topic = kb.topics.get(topicId);
  if (!topic) {
    const known = [...kb.topics.keys()].join(', ');
    throw new AppError('UNKNOWN_TOPIC', `Unknown topic "${topicId}". Expected one of: ${known}.`);
  }
  return topic;
}

function driversFor<R extends { when: Record<string, string[]>; why: string }>(
  topic: Topic,
  rules: readonly R[],
  answers: Answers,
  effect: (rule: R) => number,
): Driver[] {
  const fired: Driver[] = [];
  for (const rule of rules) {
    if (!conditionHolds(rule.when, answers)) continue;
    // A rule's first question is the answer credited with the effect.
    const questionId = Object.keys(rule.when)[0]!;
    const question = findQuestion(topic, questionId);
    const choiceId = answers[questionId]!;
    const answer = question.choices.find((c) => c.id === choiceId)?.label ?? choiceId;
    fired.push({ questionId, question: question.text, choiceId, answer, effect: effect(rule), why: rule.why });
  }
  return fired;
}

/**
 * Each failure mode's probability and severity alone, as scoreFailureModes computes them: what the
 * what-if search needs for each of its ~25 changed answer sets, without drivers, text or sorting (it
 * was most of a submission's allocation, bench:scale).
 */
function probabilitiesOf(topic: Topic, answers: Answers, recalibrate?: Recalibrator): Array<Pick<FailureModeAssessment, 'probability' | 'severity'>> {
  return topic.failureModes.map((fm) => {
    let shift = 0;
    for (const rule of fm.rules) if (conditionHolds(rule.when, answers)) shift += Math.log(rule.odds);
    const modelProbability = sigmoid(logit(fm.base) + shift);
    return { probability: recalibrate?.probability(topic.id, fm.id, modelProbability) ?? modelProbability, severity: fm.severity };
  });
}

function scoreFailureModes(topic: Topic, answers: Answers, recalibrate?: Recalibrator): FailureModeAssessment[] {
  return topic.failureModes
    .map((fm) => {
      const drivers = driversFor(topic, fm.rules, answers, (r) => r.odds);
      const shift = drivers.reduce((s, d) => s + Math.log(d.effect), 0);
      const modelProbability = sigmoid(logit(fm.base) + shift);
      const learned = recalibrate?.probability(topic.id, fm.id, modelProbability);
      const result: FailureModeAssessment = {
        id: fm.id,
        name: fm.name,
        description: fm.description,
        severity: fm.severity,
        horizonMonths: fm.horizonMonths,
        sign: fm.sign,
        base: fm.base,
        modelProbability,
        probability: learned ?? modelProbability,
        drivers: drivers.sort((a, b) => Math.abs(Math.log(b.effect)) - Math.abs(Math.log(a.effect))),
      };
      if (recalibrate && learned !== undefined) result.calibration = { outcomes: recalibrate.outcomes(topic.id, fm.id) };
      return result;
    })
    .sort((a, b) => b.probability - a.probability || a.id.localeCompare(b.id));
}

export function riskScoreOf(modes: ReadonlyArray<Pick<FailureModeAssessment, 'probability' | 'severity'>>): number {
  let weighted = 0;
  let total = 0;
  for (const m of modes) {
    weighted += m.probability * SEVERITY_WEIGHT[m.severity];
    total += SEVERITY_WEIGHT[m.severity];
  }
  return total === 0 ? 0 : weighted / total;
}

/** A likely high-severity failure blocks "adopt" even when the average risk is low. */
export function verdictOf(modes: ReadonlyArray<Pick<FailureModeAssessment, 'probability' | 'severity'>>): Verdict {
  const risk = riskScoreOf(modes);
  const likelySevere = modes.filter((m) => m.severity === 'high' && m.probability >= 0.6).length;
  if (risk >= VERDICT_THRESHOLDS.notYet || likelySevere >= 2) return 'not-yet';
  const worstSevere = Math.max(0, ...modes.filter((m) => m.severity === 'high').map((m) => m.probability));
  if (risk >= VERDICT_THRESHOLDS.guardrails || worstSevere >= 0.4) return 'adopt-with-guardrails';
  return 'adopt';
}

function rankAlternatives(topic: Topic, answers: Answers): AlternativeAssessment[] {
  const ranked = topic.alternatives.map((alt, index) => ({
    alt,
    index,
    matches: alt.bestWhen !== undefined && conditionHolds(alt.bestWhen, answers),
  }));
  ranked.sort((a, b) => Number(b.matches) - Number(a.matches) || a.index - b.index);
  return ranked.map(({ alt, matches }) => ({ id: alt.id, name: alt.name, summary: alt.summary, fits: alt.fits, recommended: matches }));
}

function findTippingPoints(kb: KnowledgeBase, topic: Topic, answers: Answers, verdict: Verdict, options: AssessOptions): TippingPoint[] {
  const points: TippingPoint[] = [];
  for (const [questionId, choiceId] of Object.entries(answers)) {
    const question = findQuestion(topic, questionId);
    for (const choice of question.choices) {
      if (choice.id === choiceId) continue;
      const changed = pruneAnswers(topic, { ...answers, [questionId]: choice.id });
      const flipped = verdictOf(probabilitiesOf(topic, changed, options.recalibrate));
      if (flipped === verdict) continue;
      const from = question.choices.find((c) => c.id === choiceId)?.label ?? choiceId;
      points.push({ questionId, question: question.text, from, to: choice.label, toChoiceId: choice.id, verdict: flipped });
    }
  }
  return points;
}

/**
 * The quantiles to show for one range: the model's, or the learned ones when learning changes what a
 * user would see (a factor of 1.02 that rounds away is not worth a note).
 */
function learnedRange(topicId: string, kind: 'cost' | 'time', raw: Quantiles, adjust?: RangeAdjuster): Quantiles & RangeLearning {
  const model = roundQuantiles(kind, raw);
  const adjusted = adjust?.(topicId, kind, raw);
  if (!adjusted) return { ...model, model };
  const shown = roundQuantiles(kind, adjusted);
  if (shown.p10 === model.p10 && shown.p50 === model.p50 && shown.p90 === model.p90) return { ...model, model };
  return { ...shown, model, learned: { factor: adjusted.factor, spread: adjusted.spread, outcomes: adjusted.outcomes } };
}

/** Answers must already be validated (see validateAnswers); the assessment is deterministic. */
export function assess(kb: KnowledgeBase, topicId: string, answers: Answers, options: AssessOptions = {}): Assessment {
  const topic = getTopic(kb, topicId);
  const failureModes = scoreFailureModes(topic, answers, options.recalibrate);
  const verdict = verdictOf(failureModes);
  const alternatives = rankAlternatives(topic, answers);

  const components = topic.cost.components.map((c) => {
    const drivers = driversFor(topic, c.rules, answers, (r) => r.factor);
    const factor = drivers.reduce((f, d) => f * d.effect, 1);
    return { id: c.id, name: c.name, category: c.category, low: c.low * factor, likely: c.likely * factor, high: c.high * factor, drivers };
  });
  const cost = sumQuantiles(components);
  const timeDrivers = driversFor(topic, topic.time.rules, answers, (r) => r.factor);
  const timeFactor = timeDrivers.reduce((f, d) => f * d.effect, 1);

  const assessment: Assessment = {
    topic: topic.id,
    title: topic.title,
    claim: topic.claim,
    knowledgeVersion: kb.version,
    answers: { ...answers },
    verdict,
    riskScore: riskScoreOf(failureModes),
    failureModes,
    cost: {
      unit: 'USD',
      basis: topic.cost.basis,
      ...learnedRange(topic.id, 'cost', cost, options.adjustRange),
      components: components.map((c) => ({ ...c, low: roundSignificant(c.low), likely: roundSignificant(c.likely), high: roundSignificant(c.high) })),
    },
    time: {
      unit: 'months',
      ...learnedRange(topic.id, 'time', { p10: topic.time.low * timeFactor, p50: topic.time.likely * timeFactor, p90: topic.time.high * timeFactor }, options.adjustRange),
      drivers: timeDrivers,
    },
    tippingPoints: options.skipTippingPoints ? [] : findTippingPoints(kb, topic, answers, verdict, options),
    alternatives,
    cliffs: kb.cliffs.filter((c) => topic.cliffs.includes(c.id)),
    orgLimits: kb.orgLimits.filter((l) => topic.orgLimits.includes(l.id)),
  };
  if (verdict === 'not-yet') assessment.instead = alternatives[0];
  return assessment;
}
