// Per-workspace learned calibration for new consultations, refit only when outcomes change. Another
// replica's outcomes are noticed within `maxAgeMs` (the version is re-read at most that often); this
// process's own are noticed at once (invalidate). Bounded: the least recently refreshed goes first.
// A fit is stored with its outcome version, so a workspace this process has not seen yet (or let go)
// costs one row, not a refit from its whole history (bench:scale, 10,000 workspaces).
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
    const stored = await this.store.consultations.learnedCalibration(workspace);
    const kept = stored?.outcomeVersion === version ? parseLearned(stored.model) : undefined;
    if (kept) {
      this.remember(workspace, { version, checkedAt: now, learned: kept });
      return kept;
    }
    const samples = (await this.store.consultations.resolvedForecasts(workspace)).map((f) => ({ key: `${f.topic}/${f.failureMode}`, p: f.modelProbability, outcome: f.happened }));
    const learned = learnCalibration(samples);
    this.remember(workspace, { version, checkedAt: now, learned });
    await this.store.consultations.saveLearnedCalibration(workspace, version, serialiseLearned(learned), now);
    return learned;
  }

  /** Workspaces held in memory (never more than maxWorkspaces). */
  get size(): number {
    return this.cache.size;
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

/** The fields a learned calibration has today: a stored one with other fields (older code) is refit. */
const SHAPE = Object.keys(learnCalibration([])).sort().join(',');

/** JSON with Maps kept as entry lists, tagged with the shape it was written in. */
export function serialiseLearned(learned: LearnedCalibration): string {
  return JSON.stringify({ shape: SHAPE, learned }, (_key, value: unknown) => (value instanceof Map ? { entries: [...value] } : value));
}

export function parseLearned(json: string): LearnedCalibration | undefined {
  try {
    const parsed = JSON.parse(json, (_key, value: unknown) =>
      value !== null && typeof value === 'object' && 'entries' in value && Array.isArray((value as { entries: unknown }).entries) && Object.keys(value).length === 1
        ? new Map((value as { entries: Array<[unknown, unknown]> }).entries)
        : value) as { shape?: unknown; learned?: LearnedCalibration };
    return parsed.shape === SHAPE ? parsed.learned : undefined;
  } catch {
    return undefined;
  }
}
