// Per-workspace running totals (the workspace_stats table): what one consultation adds to them, so a
// save, an outcome or "we didn't adopt it" moves them by a difference computed alike on both engines,
// and a request reads one row instead of the workspace's whole history (bench:scale).
import type { WorkspaceTotals } from './types.js';

/** One consultation as the totals see it. */
export interface CountedConsultation {
  notAdopted: boolean;
  predictions: ReadonlyArray<{ probability: number; happened: 0 | 1 | null }>;
  estimates: ReadonlyArray<{ kind: 'cost' | 'time'; p10: number; p90: number; actual: number | null }>;
}

/** The columns of workspace_stats that outcomes move, in this order. */
export const TOTAL_COLUMNS = ['open_predictions', 'resolved', 'happened', 'squared_error', 'cost_resolved', 'cost_inside', 'time_resolved', 'time_inside'] as const;
export type Totals = Record<(typeof TOTAL_COLUMNS)[number], number>;

/**
 * What a consultation adds: open and resolved predictions of an adopted consultation (the ones the
 * scores and countOpenPredictions count), the squared errors behind the Brier score, and cost/time
 * actuals above zero with whether they fell inside p10–p90 (the App Home hit rates).
 */
export function contribution(c: CountedConsultation): Totals {
  const t: Totals = { open_predictions: 0, resolved: 0, happened: 0, squared_error: 0, cost_resolved: 0, cost_inside: 0, time_resolved: 0, time_inside: 0 };
  if (c.notAdopted) return t;
  for (const p of c.predictions) {
    if (p.happened === null) {
      t.open_predictions++;
      continue;
    }
    t.resolved++;
    t.happened += p.happened;
    t.squared_error += (p.probability - p.happened) ** 2;
  }
  for (const e of c.estimates) {
    if (e.actual === null || !(e.actual > 0)) continue;
    const inside = e.p10 <= e.actual && e.actual <= e.p90 ? 1 : 0;
    if (e.kind === 'cost') {
      t.cost_resolved++;
      t.cost_inside += inside;
    } else {
      t.time_resolved++;
      t.time_inside += inside;
    }
  }
  return t;
}

export function difference(after: Totals, before: Totals): Totals {
  return Object.fromEntries(TOTAL_COLUMNS.map((c) => [c, after[c] - before[c]])) as Totals;
}

/** A consultation after an outcome input: answers replace, null takes an answer back, absent keeps it. */
export function withOutcomes<P extends { failureMode: string; happened: 0 | 1 | null }, E extends { kind: 'cost' | 'time'; actual: number | null }>(
  c: { notAdopted: boolean; predictions: P[]; estimates: E[] },
  input: { failureModes: Record<string, boolean | null>; actualCost?: number | null; actualMonths?: number | null; notAdopted?: boolean },
): { notAdopted: boolean; predictions: P[]; estimates: E[] } {
  return {
    notAdopted: input.notAdopted ?? c.notAdopted,
    predictions: c.predictions.map((p) => {
      const answer = input.failureModes[p.failureMode];
      return answer === undefined ? p : { ...p, happened: answer === null ? null : answer ? 1 : 0 };
    }),
    estimates: c.estimates.map((e) => {
      const actual = e.kind === 'cost' ? input.actualCost : input.actualMonths;
      return actual === undefined || actual === null ? e : { ...e, actual };
    }),
  };
}

/** A workspace_stats row as both engines return it. */
export type RawTotals = Record<(typeof TOTAL_COLUMNS)[number] | 'consultations' | 'outcome_version', number>;

export function toTotals(r: RawTotals | undefined): WorkspaceTotals {
  return {
    consultations: r?.consultations ?? 0,
    openPredictions: r?.open_predictions ?? 0,
    resolved: r?.resolved ?? 0,
    happened: r?.happened ?? 0,
    squaredError: r?.squared_error ?? 0,
    cost: { resolved: r?.cost_resolved ?? 0, inside: r?.cost_inside ?? 0 },
    time: { resolved: r?.time_resolved ?? 0, inside: r?.time_inside ?? 0 },
    outcomeVersion: r?.outcome_version ?? 0,
  };
}
