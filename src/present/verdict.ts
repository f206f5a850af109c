// The channel-neutral view of a verdict: what to say, already worded and ordered. Slack blocks,
// Teams cards and the terminal render this and decide nothing themselves.
import { VERDICT_LABELS, type Assessment, type Verdict } from '../consult/assess.js';
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
  cost: { p10: string; p50: string; p90: string; basis: string; line: string };
  time: { p10: string; p50: string; p90: string; line: string };
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
    cost: {
      p10: formatMoney(a.cost.p10),
      p50: formatMoney(a.cost.p50),
      p90: formatMoney(a.cost.p90),
      basis: a.cost.basis,
      line: `${formatMoney(a.cost.p50)} likely (80% range ${formatMoney(a.cost.p10)}–${formatMoney(a.cost.p90)})`,
    },
    time: {
      p10: formatMonths(a.time.p10),
      p50: formatMonths(a.time.p50),
      p90: formatMonths(a.time.p90),
      line: `${formatMonths(a.time.p50)} likely (80% range ${a.time.p10}–${formatMonths(a.time.p90)})`,
    },
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
