// The channel-neutral App Home view: my decision log (each consultation with its verdict, what became of
// it and the story if it is not private), open predictions and the workspace's accuracy.
import type { AccuracySummary } from '../accuracy/summary.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Decision, WorkspaceTotals } from '../store/types.js';
import { buildDecisionView, type DecisionView } from './decision-log.js';
import { formatDate } from './format.js';

export interface HomeView {
  consultations: Array<DecisionView & { checkIn: string; due: boolean }>;
  openPredictions: number;
  accuracy: { resolved: number; brierText: string; baselineText: string; costHitText: string; timeHitText: string } | null;
  /** For admins: what people here ask about that the knowledge base has no topic for, most asked first. */
  gaps?: Array<{ term: string; asks: number }>;
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

export function buildHomeView(mine: Decision[], kb: KnowledgeBase, openPredictions: number, summary: HomeAccuracy, now: number): HomeView {
  return {
    consultations: mine.map((d) => ({
      ...buildDecisionView(d, kb),
      checkIn: formatDate(d.checkInAt),
      // Due and not answered yet: the log asks for what happened.
      due: d.checkInAt <= now && !d.notAdopted && d.failureModes.every((f) => f.happened === null),
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
