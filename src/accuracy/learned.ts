// Learning from outcomes in two levels: one workspace-wide Platt model (the knowledge base is usually
// off in the same direction everywhere), then a per-failure-mode correction on top, each shrunk
// toward "no change" until enough outcomes exist.
import { applyRecalibration, recalibrationFor, type RecalibrationModel } from './recalibrate.js';

export interface LabelledForecast {
  /** topic/failure-mode */
  key: string;
  /** The knowledge base's probability (before any recalibration) */
  p: number;
  outcome: 0 | 1;
}

export interface LearnedCalibration {
  total: number;
  global: RecalibrationModel | null;
  perMode: ReadonlyMap<string, RecalibrationModel>;
  counts: ReadonlyMap<string, number>;
}

export function learnCalibration(samples: readonly LabelledForecast[]): LearnedCalibration {
  const global = recalibrationFor(samples.map((s) => ({ p: s.p, outcome: s.outcome })));
  const groups = new Map<string, LabelledForecast[]>();
  for (const s of samples) {
    const list = groups.get(s.key) ?? [];
    list.push(s);
    groups.set(s.key, list);
  }
  const perMode = new Map<string, RecalibrationModel>();
  const counts = new Map<string, number>();
  for (const [key, list] of groups) {
    counts.set(key, list.length);
    const stage1 = list.map((s) => ({ p: global ? applyRecalibration(global, s.p) : s.p, outcome: s.outcome }));
    const model = recalibrationFor(stage1);
    if (model) perMode.set(key, model);
  }
  return { total: samples.length, global, perMode, counts };
}

/**
 * The learned probability, or undefined when nothing has been learned yet. A number alone: the what-if
 * search asks for it ~250 times a consultation (an object per answer was ~14 KB of garbage, bench:scale).
 */
export function learnedProbability(learned: LearnedCalibration, key: string, p: number): number | undefined {
  if (!learned.global && !learned.perMode.has(key)) return undefined;
  let q = learned.global ? applyRecalibration(learned.global, p) : p;
  const own = learned.perMode.get(key);
  if (own) q = applyRecalibration(own, q);
  return q;
}

/** How many outcomes the learned probability of `key` rests on: its own, or the workspace's all. */
export function learnedOutcomes(learned: LearnedCalibration, key: string): number {
  return learned.counts.get(key) ?? learned.total;
}
