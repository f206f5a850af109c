// Per-workspace learned calibration for new consultations, refit only when outcomes change. Another
// replica's outcomes are noticed within `maxAgeMs` (the version is re-read at most that often); this
// process's own are noticed at once (invalidate). Bounded: the least recently refreshed goes first.
import { applyLearned, learnCalibration, type LearnedCalibration } from '../accuracy/learned.js';
import type { Recalibrator } from '../consult/assess.js';
import type { Store } from '../store/types.js';

interface Entry {
  version: string;
  checkedAt: number;
  learned: LearnedCalibration;
}

export class RecalibrationCache {
  private readonly cache = new Map<string, Entry>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = 30_000,
    private readonly maxWorkspaces = 5_000,
  ) {}

  async learned(workspace: string): Promise<LearnedCalibration> {
    const hit = this.cache.get(workspace);
    const now = this.now();
    if (hit && now - hit.checkedAt < this.maxAgeMs) return hit.learned;
    const version = await this.store.consultations.outcomeVersion(workspace);
    if (hit && hit.version === version) {
      this.remember(workspace, { ...hit, checkedAt: now });
      return hit.learned;
    }
    const samples = (await this.store.consultations.resolvedForecasts(workspace)).map((f) => ({ key: `${f.topic}/${f.failureMode}`, p: f.modelProbability, outcome: f.happened }));
    const learned = learnCalibration(samples);
    this.remember(workspace, { version, checkedAt: now, learned });
    return learned;
  }

  /** This process recorded an outcome: the next consultation in the workspace refits at once. */
  invalidate(workspace: string): void {
    this.cache.delete(workspace);
  }

  async recalibrator(workspace: string): Promise<Recalibrator | undefined> {
    const learned = await this.learned(workspace);
    if (!learned.global && learned.perMode.size === 0) return undefined;
    return (topic, failureMode, p) => applyLearned(learned, `${topic}/${failureMode}`, p);
  }

  private remember(workspace: string, entry: Entry): void {
    this.cache.delete(workspace);
    this.cache.set(workspace, entry);
    if (this.cache.size > this.maxWorkspaces) this.cache.delete(this.cache.keys().next().value!);
  }
}
