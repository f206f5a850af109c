// The check-in view: what was predicted and what to ask, worded once for every surface.
import type { Assessment } from '../consult/assess.js';
import type { ConsultationRow, PredictionRow } from '../store/types.js';
import { formatDate, formatMoney, formatPercent } from './format.js';

export interface CheckInView {
  consultationId: string;
  question: string;
  title: string;
  askedOn: string;
  reminder: boolean;
  failureModes: Array<{ id: string; name: string; probabilityText: string; sign: string; answer: 'happened' | 'not-happened' | null }>;
  costLine: string;
  timeLine: string;
  notAdopted: boolean;
  /** What happened, as recorded so far (shown back to the person checking in, and prefilled). */
  story: { text: string; private: boolean; recordedBy: string } | null;
  /** The alternative the verdict suggested (its "instead", else the first recommended one). */
  alternative: string | null;
  followedAlternative: boolean | null;
}

/** What "followed the suggested alternative" refers to, for the check-in question. */
export function suggestedAlternative(a: Pick<Assessment, 'instead' | 'alternatives'>): string | null {
  return (a.instead ?? a.alternatives?.find((x) => x.recommended))?.name ?? null;
}

export function buildCheckInView(row: ConsultationRow, predictions: PredictionRow[], reminder: boolean): CheckInView {
  const a = row.assessment as Assessment;
  const byId = new Map(a.failureModes.map((f) => [f.id, f]));
  return {
    consultationId: row.id,
    question: row.question,
    title: a.title,
    askedOn: formatDate(row.createdAt),
    reminder,
    failureModes: predictions.map((p) => ({
      id: p.failureMode,
      name: byId.get(p.failureMode)?.name ?? p.failureMode,
      probabilityText: formatPercent(p.probability),
      sign: byId.get(p.failureMode)?.sign ?? '',
      answer: p.happened === null ? null : p.happened ? 'happened' : 'not-happened',
    })),
    costLine: `${formatMoney(a.cost.p10)}–${formatMoney(a.cost.p90)} (likely ${formatMoney(a.cost.p50)})`,
    timeLine: `${a.time.p10}–${a.time.p90} months (likely ${a.time.p50})`,
    notAdopted: row.notAdopted,
    story: row.story ? { text: row.story.text, private: row.story.private, recordedBy: row.story.recordedBy } : null,
    alternative: suggestedAlternative(a),
    followedAlternative: row.followedAlternative ?? null,
  };
}
