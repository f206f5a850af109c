// The four success metrics in words, one line each (failure prevention has two: by severity, and with
// or without the suggested alternative), as the digest and `report` print them.
import type { EstimateAccuracy, OccurrenceGroup, SuccessMetrics } from '../accuracy/success-metrics.js';

const f3 = (x: number | null): string => (x === null ? '—' : x.toFixed(3));
const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)}%`);
const times = (x: number | null): string => (x === null ? '—' : `${Number(x.toPrecision(2))}×`);
const months = (x: number | null): string => (x === null ? '—' : `${Number(x.toFixed(1))}`);

function estimateText(e: EstimateAccuracy, what: string): string {
  return `actuals typically ${times(e.typicalRatio)} the predicted ${what}, median |log(actual/predicted)| ${e.medianAbsLogError === null ? '—' : e.medianAbsLogError.toFixed(2)}; ${pct(e.hitRate)} inside the 80% range (target 80%), ${e.resolved} resolved`;
}

const occurred = (g: OccurrenceGroup): string => `${pct(g.rate)} of ${g.resolved}`;
const consultations = (n: number): string => `${n} consultation${n === 1 ? '' : 's'}`;

export function successMetricLines(m: SuccessMetrics): string[] {
  const p = m.predictionAccuracy;
  const c = m.costEstimation;
  const f = m.failurePrevention;
  const t = m.timeToProduction;
  const a = f.alternative;
  const severities = f.bySeverity.filter((s) => s.resolved > 0).map((s) => `${s.severity} ${occurred(s)}`);
  return [
    `Prediction accuracy: ${p.resolved === 0 ? 'no resolved predictions yet' : `Brier ${f3(p.brier)} (base rate ${f3(p.baselineBrier)}), calibration reliability ${f3(p.reliability)} (0 is perfect), ${p.resolved} resolved`}`,
    `Cost estimation: ${c.resolved === 0 ? 'no actual costs recorded yet' : estimateText(c, 'cost')}`,
    `Failure prevention: ${f.resolved === 0 ? 'no resolved failure modes yet' : `${pct(f.rate)} of predicted failure modes occurred (predicted ${pct(f.meanPredicted)}), ${f.resolved} resolved; by severity: ${severities.join(', ')}`}`,
    `Failure prevention, suggested alternative: ${
      a.status === 'compared'
        ? `${pct(a.followed.rate)} occurred when followed (${a.followed.resolved} in ${consultations(a.followed.consultations)}) vs ${pct(a.notFollowed.rate)} when not (${a.notFollowed.resolved} in ${consultations(a.notFollowed.consultations)})`
        : `not enough data yet (outcomes from ${consultations(a.followed.consultations)} that followed it, ${a.notFollowed.consultations} that did not)`
    }`,
    `Time to production: ${t.resolved === 0 ? 'no actual times recorded yet' : `actual ${months(t.medianActualMonths)} months vs ${months(t.medianPredictedMonths)} predicted (medians), ${estimateText(t, 'months')}`}`,
  ];
}
