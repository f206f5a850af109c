// Per-workspace learned calibration for new consultations, refit only when outcomes change.
import { applyLearned, learnCalibration, type LearnedCalibration } from '../accuracy/learned.js';
import type { Recalibrator } from '../consult/assess.js';
import type { Store } from '../store/index.js';

export class RecalibrationCache {
  private readonly cache = new Map<string, { version: string; learned: LearnedCalibration }>();

  constructor(private readonly store: Store) {}

  learned(workspace: string): LearnedCalibration {
    const version = this.store.consultations.outcomeVersion(workspace);
    const hit = this.cache.get(workspace);
    if (hit && hit.version === version) return hit.learned;
    const samples = this.store.consultations
      .resolvedForecasts(workspace)
      .map((f) => ({ key: `${f.topic}/${f.failureMode}`, p: f.modelProbability, outcome: f.happened }));
    const learned = learnCalibration(samples);
    this.cache.set(workspace, { version, learned });
    return learned;
  }

  recalibrator(workspace: string): Recalibrator | undefined {
    const learned = this.learned(workspace);
    if (!learned.global && learned.perMode.size === 0) return undefined;
    return (topic, failureMode, p) => applyLearned(learned, `${topic}/${failureMode}`, p);
  }
}
