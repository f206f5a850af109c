// The channel-neutral "my consultations and our accuracy" view for Slack's App Home (and Teams).
import type { AccuracySummary } from '../accuracy/summary.js';
import { VERDICT_LABELS, type Verdict } from '../consult/assess.js';
import type { ConsultationRow, WorkspaceTotals } from '../store/types.js';
import { formatDate } from './format.js';

export interface HomeView {
  consultations: Array<{ id: string; question: string; topic: string; verdictLabel: string; created: string; checkIn: string; due: boolean }>;
  openPredictions: number;
  accuracy: { resolved: number; brierText: string; baselineText: string; costHitText: string; timeHitText: string } | null;
}

const pct = (x: number | null, n: number): string => (x === null ? 'no actuals yet' : `${Math.round(x * 100)}% of ${n} inside p10–p90 (target 80%)`);

/** The part of an accuracy summary App Home shows. */
export type HomeAccuracy = Pick<AccuracySummary, 'resolved' | 'brier' | 'baselineBrier'> & {
  cost: Pick<AccuracySummary['cost'], 'resolved' | 'hitRate'>;
  time: Pick<AccuracySummary['time'], 'resolved' | 'hitRate'>;
};

/** The same figures from a workspace's running totals, so an App Home open reads one row, not its history. */
export function homeAccuracyFromTotals(t: WorkspaceTotals): HomeAccuracy {
  const rate = t.resolved > 0 ? t.happened / t.resolved : null;
  return {
    resolved: t.resolved,
    brier: t.resolved > 0 ? t.squaredError / t.resolved : null,
    baselineBrier: rate === null ? null : rate * (1 - rate),
    cost: { resolved: t.cost.resolved, hitRate: t.cost.resolved > 0 ? t.cost.inside / t.cost.resolved : null },
    time: { resolved: t.time.resolved, hitRate: t.time.resolved > 0 ? t.time.inside / t.time.resolved : null },
  };
}

export function buildHomeView(mine: ConsultationRow[], openPredictions: number, summary: HomeAccuracy, now: number): HomeView {
  return {
    consultations: mine.map((c) => ({
      id: c.id,
      question: c.question,
      topic: c.topic,
      verdictLabel: VERDICT_LABELS[c.verdict as Verdict] ?? c.verdict,
      created: formatDate(c.createdAt),
      checkIn: formatDate(c.checkInAt),
      due: c.checkInAt <= now,
    })),
    openPredictions,
    accuracy:
      summary.resolved === 0
        ? null
        : {
            resolved: summary.resolved,
            brierText: `${summary.brier!.toFixed(3)} (Brier score, 0–1 binary form; lower is better)`,
            baselineText: summary.baselineBrier === null ? '—' : `${summary.baselineBrier.toFixed(3)} for always forecasting the base rate`,
            costHitText: pct(summary.cost.hitRate, summary.cost.resolved),
            timeHitText: pct(summary.time.hitRate, summary.time.resolved),
          },
  };
}
