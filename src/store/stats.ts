// Per-workspace running totals (the workspace_stats table): what one consultation adds to them, so a
// save, an outcome or "we didn't adopt it" moves them by a difference computed alike on both engines,
// and a request reads one row instead of the workspace's whole history (bench:scale).
import { scoreForecasts, type Scoring } from '../accuracy/groups.js';
import type { SeverityLevel } from '../accuracy/success-metrics.js';
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

// ---- Scoring groups (the scoring_groups table): the digest's sums, moved like the totals above ----------

/** One consultation as the scoring groups see it. */
export interface ScoringConsultation {
  id: string;
  topic: string;
  knowledgeVersion: string;
  notAdopted: boolean;
  followedAlternative: boolean | null;
  predictions: ReadonlyArray<{ failureMode: string; probability: number; severity: string | null; happened: 0 | 1 | null }>;
}

const SEVERITY_LEVELS = new Set(['high', 'medium', 'low']);
/** A stored severity as the scoring keys it: one of the three levels, else null. */
const severityLevel = (s: string | null): SeverityLevel | null => (s !== null && SEVERITY_LEVELS.has(s) ? (s as SeverityLevel) : null);

/** The resolved failure modes of an adopted consultation, as the scoring counts them. */
function scoringOf(c: ScoringConsultation): Scoring {
  if (c.notAdopted) return { groups: [], consultations: { followed: 0, notFollowed: 0 } };
  return scoreForecasts(c.predictions.flatMap((p) => p.happened === null ? [] : [{
    consultationId: c.id,
    topic: c.topic,
    failureMode: p.failureMode,
    knowledgeVersion: c.knowledgeVersion,
    severity: severityLevel(p.severity),
    followedAlternative: c.followedAlternative,
    probability: p.probability,
    happened: p.happened,
  }]));
}

/**
 * A scoring_groups row as both engines store it: a null severity is '', a null "followed" is -1, and the
 * row that counts consultations has failure mode '' and bin −1 (its n is the count).
 */
export interface ScoringRow {
  topic: string;
  failure_mode: string;
  knowledge_version: string;
  severity: string;
  followed: number;
  bin: number;
  n: number;
  sum_p: number;
  sum_o: number;
  sum_sq: number;
  sum_log: number;
}

export const SCORING_KEY = ['topic', 'failure_mode', 'knowledge_version', 'severity', 'followed', 'bin'] as const;
export const SCORING_SUMS = ['n', 'sum_p', 'sum_o', 'sum_sq', 'sum_log'] as const;

const followedCode = (f: boolean | null): number => (f === null ? -1 : f ? 1 : 0);

function rowsOf(s: Scoring): Map<string, ScoringRow> {
  const out = new Map<string, ScoringRow>();
  for (const g of s.groups) {
    const row: ScoringRow = { topic: g.topic, failure_mode: g.failureMode, knowledge_version: g.knowledgeVersion, severity: g.severity ?? '', followed: followedCode(g.followed), bin: g.bin, n: g.n, sum_p: g.sumP, sum_o: g.sumO, sum_sq: g.sumSq, sum_log: g.sumLog };
    out.set(JSON.stringify(SCORING_KEY.map((k) => row[k])), row);
  }
  for (const [followed, n] of [[1, s.consultations.followed], [0, s.consultations.notFollowed]] as const) {
    if (n === 0) continue;
    const row: ScoringRow = { topic: '', failure_mode: '', knowledge_version: '', severity: '', followed, bin: -1, n, sum_p: 0, sum_o: 0, sum_sq: 0, sum_log: 0 };
    out.set(JSON.stringify(SCORING_KEY.map((k) => row[k])), row);
  }
  return out;
}

/** What the scoring groups key a consultation's failure modes by, as both engines select it. */
export interface ScoringFacts {
  not_adopted: number;
  topic: string;
  knowledge_version: string;
  followed_alternative: number | null;
}

type ScoredState = Pick<ScoringConsultation, 'notAdopted' | 'predictions'>;

/**
 * The rows to move when an outcome input takes a consultation from `before` to `after`: its stored facts
 * before, and "followed the alternative" as the input leaves it.
 */
export function scoringMoves(id: string, facts: ScoringFacts, before: ScoredState, after: ScoredState, followedInput: boolean | null | undefined): ScoringRow[] {
  const stored = facts.followed_alternative === null ? null : facts.followed_alternative === 1;
  const of = (state: ScoredState, followedAlternative: boolean | null) =>
    scoringOf({ id, topic: facts.topic, knowledgeVersion: facts.knowledge_version, notAdopted: state.notAdopted, followedAlternative, predictions: state.predictions });
  return scoringDifference(of(after, followedInput === undefined ? stored : followedInput), of(before, stored));
}

/** What to add to each stored row (negative to take away) when a consultation goes from `before` to `after`. */
function scoringDifference(after: Scoring, before: Scoring): ScoringRow[] {
  const a = rowsOf(after);
  const b = rowsOf(before);
  const out: ScoringRow[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    const base = (x ?? y)!;
    const d = { ...base, ...Object.fromEntries(SCORING_SUMS.map((s) => [s, (x?.[s] ?? 0) - (y?.[s] ?? 0)])) } as ScoringRow;
    if (SCORING_SUMS.some((s) => d[s] !== 0)) out.push(d);
  }
  return out;
}

/** Stored rows back into a scoring (the consultation-count rows become the counts). */
export function toScoring(rows: readonly ScoringRow[]): Scoring {
  const scoring: Scoring = { groups: [], consultations: { followed: 0, notFollowed: 0 } };
  for (const r of rows) {
    if (r.n <= 0) continue;
    if (r.bin < 0) {
      if (r.followed === 1) scoring.consultations.followed += r.n;
      if (r.followed === 0) scoring.consultations.notFollowed += r.n;
      continue;
    }
    scoring.groups.push({
      topic: r.topic,
      failureMode: r.failure_mode,
      knowledgeVersion: r.knowledge_version,
      severity: severityLevel(r.severity),
      followed: r.followed === -1 ? null : r.followed === 1,
      bin: r.bin,
      n: Number(r.n),
      sumP: Number(r.sum_p),
      sumO: Number(r.sum_o),
      sumSq: Number(r.sum_sq),
      sumLog: Number(r.sum_log),
    });
  }
  return scoring;
}
