// The channel-neutral App Home view: my decision log (each consultation with its verdict, what became of
// it and the story if it is not private), open predictions and the workspace's accuracy.
import type { AccuracySummary } from '../accuracy/summary.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Decision } from '../store/types.js';
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

export function buildHomeView(mine: Decision[], kb: KnowledgeBase, openPredictions: number, summary: AccuracySummary, now: number): HomeView {
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
