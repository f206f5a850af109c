// The weekly digest as a view model: this week's activity, accuracy with its 4-week trend against
// the base-rate baseline, calibration, interval hit-rates, the four success metrics and the surprises.
import type { SuccessMetrics } from '../accuracy/success-metrics.js';
import type { AccuracySummary } from '../accuracy/summary.js';
import { successMetricLines } from './success-metrics.js';

export interface DigestView {
  workspace: string;
  weekLabel: string;
  consultationsThisWeek: Array<{ topic: string; count: number }>;
  resolvedThisWeek: number;
  accuracy: AccuracySummary;
  /** The source document's four: prediction accuracy, cost estimation, failure prevention, time to production. */
  metrics: SuccessMetrics;
  /** Oldest first: Brier of everything resolved up to the end of each of the last four weeks. */
  trend: Array<{ week: string; brier: number | null; baseline: number | null; resolved: number }>;
  surprises: Array<{ failureMode: string; predicted: number; observed: number; resolved: number }>;
  topTopics: Array<{ topic: string; count: number }>;
  lines: string[];
}

const f3 = (x: number | null): string => (x === null ? '—' : x.toFixed(3));
const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);

export function digestLines(v: Omit<DigestView, 'lines'>): string[] {
  const a = v.accuracy;
  const total = v.consultationsThisWeek.reduce((n, t) => n + t.count, 0);
  const lines = [
    `reality-check weekly accuracy digest — ${v.weekLabel}`,
    `Consultations this week: ${total}${total ? ` (${v.consultationsThisWeek.map((t) => `${t.topic} ${t.count}`).join(', ')})` : ''}`,
    `Predictions resolved this week: ${v.resolvedThisWeek}; resolved in all: ${a.resolved}`,
  ];
  if (a.resolved === 0) {
    lines.push('No resolved predictions yet: accuracy appears once people record what happened at their check-ins.');
  } else {
    lines.push(`Brier score (0–1 binary form, lower is better): ${f3(a.brier)} vs ${f3(a.baselineBrier)} for always forecasting the base rate`);
    lines.push(`4-week trend: ${v.trend.map((t) => `${t.week} ${f3(t.brier)} (baseline ${f3(t.baseline)}, n=${t.resolved})`).join(' → ')}`);
    if (a.murphy) lines.push(`Calibration: reliability ${f3(a.murphy.reliability)} (0 is perfect), resolution ${f3(a.murphy.resolution)}, uncertainty ${f3(a.murphy.uncertainty)}`);
  }
  lines.push(`Cost actuals inside p10–p90: ${pct(a.cost.hitRate)} of ${a.cost.resolved}; time: ${pct(a.time.hitRate)} of ${a.time.resolved} (target 80%)`);
  lines.push(...successMetricLines(v.metrics));
  if (v.surprises.length) lines.push(`Surprised most: ${v.surprises.map((s) => `${s.failureMode} predicted ${pct(s.predicted)}, happened ${pct(s.observed)} of ${s.resolved}`).join('; ')}`);
  if (v.topTopics.length) lines.push(`Most asked (4 weeks): ${v.topTopics.map((t) => `${t.topic} ${t.count}`).join(', ')}`);
  return lines;
}
