// The channel-neutral view of a verdict: what to say, already worded and ordered. Slack blocks,
// Teams cards and the terminal render this and decide nothing themselves.
import { VERDICT_LABELS, type Assessment, type RangeLearning, type Verdict } from '../consult/assess.js';
import { formatDate, formatMoney, formatMonths, formatPercent } from './format.js';
import type { HistoryView } from './history.js';

export interface FailureModeView {
  id: string;
  name: string;
  probability: number;
  probabilityText: string;
  severity: 'low' | 'medium' | 'high';
  horizon: string;
  sign: string;
  description: string;
  /** "Nobody has run it in production before (k8s-experience: Nobody) ×2.2 odds" */
  why: string[];
  /** Shown whenever outcomes changed the knowledge base's figure. */
  calibrationNote?: string;
}

export interface VerdictView {
  consultationId: string;
  question: string;
  topic: string;
  title: string;
  claim: string;
  verdict: Verdict;
  verdictLabel: string;
  headline: string;
  riskText: string;
  failureModes: FailureModeView[];
  /** `note`: what this workspace's outcomes did to the range, in words; absent when they did nothing. */
  cost: { p10: string; p50: string; p90: string; basis: string; line: string; note?: string };
  time: { p10: string; p50: string; p90: string; line: string; note?: string };
  alternatives: Array<{ name: string; summary: string; fits: string; recommended: boolean }>;
  tippingPoints: string[];
  cliffs: string[];
  orgLimits: string[];
  checkIn: string;
  knowledgeVersion: string;
  /** "In this workspace": earlier consultations on the topic here, when there were any (set by the service). */
  history?: HistoryView;
  /** The message the question was taken from (a message shortcut or action). */
  sourceUrl?: string;
}

function headlineOf(a: Assessment): string {
  switch (a.verdict) {
    case 'adopt':
      return `Adopt: the risks for your situation are modest. Keep the check-in date and watch the top failure mode.`;
    case 'adopt-with-guardrails':
      return `Adopt with guardrails: it can work for you, but only if you plan for the failure modes below from day one.`;
    case 'not-yet':
      return `Not yet — ${a.instead ? `do “${a.instead.name}” instead` : 'fix the drivers below first'}.`;
  }
}

const costLine = (q: { p10: number; p50: number; p90: number }): string => `${formatMoney(q.p50)} likely (80% range ${formatMoney(q.p10)}–${formatMoney(q.p90)})`;
const timeLine = (q: { p10: number; p50: number; p90: number }): string => `${formatMonths(q.p50)} likely (80% range ${q.p10}–${formatMonths(q.p90)})`;

/** "adjusted: projects here took 1.8× the predicted months, 7 outcomes (knowledge base: 6 months likely, 3–14)" */
export function learnedRangeNote(kind: 'cost' | 'time', range: RangeLearning): string | undefined {
  const l = range.learned;
  if (!l) return undefined;
  const parts: string[] = [];
  const factor = Number(l.factor.toPrecision(2));
  if (Math.abs(Math.log(l.factor)) >= Math.log(1.05)) {
    parts.push(kind === 'time' ? `projects here took ${factor}× the predicted months` : `projects here cost ${factor}× the predicted amount`);
  }
  const spread = Number(l.spread.toPrecision(2));
  if (l.spread >= 1.1) parts.push(`range widened ×${spread}`);
  else if (l.spread <= 0.9) parts.push(`range narrowed ×${spread}`);
  if (parts.length === 0) parts.push('nudged by what happened here');
  const model = kind === 'cost' ? `${formatMoney(range.model.p50)} likely, ${formatMoney(range.model.p10)}–${formatMoney(range.model.p90)}` : `${formatMonths(range.model.p50)} likely, ${range.model.p10}–${range.model.p90}`;
  return `adjusted: ${parts.join(', ')}, ${l.outcomes} outcome${l.outcomes === 1 ? '' : 's'} (knowledge base: ${model})`;
}

function withNote<T extends object>(view: T, note: string | undefined): T & { note?: string } {
  return note === undefined ? view : { ...view, note };
}

export function buildVerdictView(
  a: Assessment,
  meta: { consultationId: string; question: string; checkInAt: number },
): VerdictView {
  return {
    consultationId: meta.consultationId,
    question: meta.question,
    topic: a.topic,
    title: a.title,
    claim: a.claim,
    verdict: a.verdict,
    verdictLabel: VERDICT_LABELS[a.verdict],
    headline: headlineOf(a),
    riskText: `${formatPercent(a.riskScore)} severity-weighted failure risk`,
    failureModes: a.failureModes.map((fm) => {
      const view: FailureModeView = {
        id: fm.id,
        name: fm.name,
        probability: fm.probability,
        probabilityText: formatPercent(fm.probability),
        severity: fm.severity,
        horizon: `within ${formatMonths(fm.horizonMonths)}`,
        sign: fm.sign,
        description: fm.description,
        why: fm.drivers.map((d) => `${d.why} (“${d.answer}”, odds ×${d.effect})`),
      };
      if (fm.calibration) {
        view.calibrationNote = `base ${formatPercent(fm.modelProbability)}, ${formatPercent(fm.probability)} after ${fm.calibration.outcomes} outcomes in this workspace`;
      }
      return view;
    }),
    cost: withNote(
      { p10: formatMoney(a.cost.p10), p50: formatMoney(a.cost.p50), p90: formatMoney(a.cost.p90), basis: a.cost.basis, line: costLine(a.cost) },
      learnedRangeNote('cost', a.cost),
    ),
    time: withNote({ p10: formatMonths(a.time.p10), p50: formatMonths(a.time.p50), p90: formatMonths(a.time.p90), line: timeLine(a.time) }, learnedRangeNote('time', a.time)),
    alternatives: a.alternatives.map(({ name, summary, fits, recommended }) => ({ name, summary, fits, recommended })),
    tippingPoints: a.tippingPoints.map(
      (t) => `If “${t.question}” were “${t.to}” instead of “${t.from}”: ${VERDICT_LABELS[t.verdict].toLowerCase()}.`,
    ),
    cliffs: a.cliffs.map((c) => `${c.component}: ${c.threshold.toLowerCase()} (${c.symptoms.join(', ').toLowerCase()})`),
    orgLimits: a.orgLimits.map((l) => `${l.statement} ${l.consequence}`),
    checkIn: formatDate(meta.checkInAt),
    knowledgeVersion: a.knowledgeVersion,
  };
}
