// Per-workspace learned calibration for new consultations, refit only when outcomes change.
import { applyLearned, learnCalibration, type LearnedCalibration } from '../accuracy/learned.js';
import type { Recalibrator } from '../consult/assess.js';
import type { Store } from '../store/index.js';

export class RecalibrationCache {
  private readonly cache = new Map<string, { version: string; learned: LearnedCalibration }>();

  constructor(private readonly store: Store) {}

  async learned(workspace: string): Promise<LearnedCalibration> {
    const version = await this.store.consultations.outcomeVersion(workspace);
    const hit = this.cache.get(workspace);
    if (hit && hit.version === version) return hit.learned;
    const samples = (await this.store.consultations.resolvedForecasts(workspace)).map((f) => ({ key: `${f.topic}/${f.failureMode}`, p: f.modelProbability, outcome: f.happened }));
    const learned = learnCalibration(samples);
    this.cache.set(workspace, { version, learned });
    return learned;
  }

  async recalibrator(workspace: string): Promise<Recalibrator | undefined> {
    const learned = await this.learned(workspace);
    if (!learned.global && learned.perMode.size === 0) return undefined;
    return (topic, failureMode, p) => applyLearned(learned, `${topic}/${failureMode}`, p);
  }
}
