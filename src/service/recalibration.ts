// Per-workspace learning for new consultations (failure-mode probabilities, cost and time ranges), refit
// only when outcomes change. Another replica's outcomes are noticed within `maxAgeMs` (the version is
// re-read at most that often); this process's own at once (invalidate). Bounded: least recently refreshed
// goes first, and a workspace is kept from its second ask on. A fit is stored with its outcome version,
// so a workspace this process has not seen yet (or let go) costs one row, not a refit from its whole
// history (bench:scale, 10,000 workspaces).
import { learnCalibration, learnedOutcomes, learnedProbability, type LearnedCalibration } from '../accuracy/learned.js';
import { applyLearnedRange, hasLearnedRanges, learnRanges, type LearnedRanges } from '../accuracy/learned-ranges.js';
import type { RangeAdjuster, Recalibrator } from '../consult/assess.js';
import type { Store } from '../store/types.js';

interface Fit {
  learned: LearnedCalibration;
  ranges: LearnedRanges;
}

/**
 * What the cache keeps of a workspace: its fit as JSON text, not parsed. A parsed fit is a few hundred
 * small objects (~8 KB); with 10,000 workspaces taking turns through 1,000 slots, each one parsed
 * survived into the old generation and died there, and every major GC marked the 1,000 held (bench:scale:
 * the world's server marked ~8 MB more than an empty one's and collected more often). One string is one
 * object to mark; parsing it again costs ~25 µs, once per consultation (the last parse is kept).
 */
interface Entry {
  version: string;
  checkedAt: number;
  json: string;
}

export class RecalibrationCache {
  private readonly cache = new Map<string, Entry>();
  /**
   * Workspaces asked for once lately and not kept yet. A fit is kept from a workspace's second ask on:
   * with more workspaces taking turns than the cache holds, keeping every one-off ask's JSON (~4 KB) only
   * for it to be let go unread later put ~3 KB per request into the old generation (bench:scale: 13.3
   * against 10.2 KB promoted per submission with the cache off), and so more major GCs. A name costs ~50 bytes.
   */
  private readonly seen = new Set<string>();
  /**
   * The last fit parsed, and whose: a consultation asks for its probabilities and then its ranges, and
   * the second ask is answered from here (so it is not taken for a workspace asking again).
   */
  private parsed: { workspace: string; entry: Entry; fit: Fit } | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = 30_000,
    // A workspace costs its fit's JSON (~4 KB) here. Letting one go costs a row read (~0.05 ms) when it
    // is next asked.
    private readonly maxWorkspaces = 1_000,
  ) {}

  async learned(workspace: string): Promise<LearnedCalibration> {
    return (await this.fit(workspace)).learned;
  }

  /** Cost and time ranges learned from the workspace's actuals against the knowledge base's own quantiles. */
  async ranges(workspace: string): Promise<LearnedRanges> {
    return (await this.fit(workspace)).ranges;
  }

  /** Workspaces held in memory (never more than maxWorkspaces). */
  get size(): number {
    return this.cache.size;
  }

  private async fit(workspace: string): Promise<Fit> {
    const entry = await this.entry(workspace);
    if (this.parsed?.entry !== entry) this.parsed = { workspace, entry, fit: parseFit(entry.json) ?? emptyFit() };
    return this.parsed.fit;
  }

  private async entry(workspace: string): Promise<Entry> {
    const hit = this.cache.get(workspace) ?? (this.parsed?.workspace === workspace ? this.parsed.entry : undefined);
    const now = this.now();
    if (hit && now - hit.checkedAt < this.maxAgeMs) return hit;
    const version = await this.store.consultations.outcomeVersion(workspace);
    if (hit && hit.version === version) {
      const fresh = { ...hit, checkedAt: now };
      this.remember(workspace, fresh);
      return fresh;
    }
    const stored = await this.store.consultations.learnedCalibration(workspace);
    const kept = stored?.outcomeVersion === version ? parseFit(stored.model) : undefined;
    if (stored && kept) {
      const entry = { version, checkedAt: now, json: stored.model };
      this.remember(workspace, entry);
      this.parsed = { workspace, entry, fit: kept };
      return entry;
    }
    const [forecasts, estimates] = await Promise.all([this.store.consultations.resolvedForecasts(workspace), this.store.consultations.resolvedEstimates(workspace)]);
    const learned = learnCalibration(forecasts.map((f) => ({ key: `${f.topic}/${f.failureMode}`, p: f.modelProbability, outcome: f.happened })));
    // From the model's quantiles, never the learned ones shown: learning must not feed on itself.
    const ranges = learnRanges(estimates.map((e) => ({ topic: e.topic, kind: e.kind, p10: e.modelP10, p50: e.modelP50, p90: e.modelP90, actual: e.actual })));
    const entry = { version, checkedAt: now, json: serialiseFit({ learned, ranges }) };
    this.remember(workspace, entry);
    this.parsed = { workspace, entry, fit: { learned, ranges } };
    await this.store.consultations.saveLearnedCalibration(workspace, version, entry.json, now);
    return entry;
  }

  /** This process recorded an outcome: the next consultation in the workspace refits at once. */
  invalidate(workspace: string): void {
    this.cache.delete(workspace);
    if (this.parsed?.workspace === workspace) this.parsed = undefined;
  }

  async recalibrator(workspace: string): Promise<Recalibrator | undefined> {
    const learned = await this.learned(workspace);
    if (!learned.global && learned.perMode.size === 0) return undefined;
    return {
      probability: (topic, failureMode, p) => learnedProbability(learned, learnedKey(topic, failureMode), p),
      outcomes: (topic, failureMode) => learnedOutcomes(learned, learnedKey(topic, failureMode)),
    };
  }

  async rangeAdjuster(workspace: string): Promise<RangeAdjuster | undefined> {
    const ranges = await this.ranges(workspace);
    if (!hasLearnedRanges(ranges)) return undefined;
    return (topic, kind, q) => applyLearnedRange(ranges, topic, kind, q);
  }

  private remember(workspace: string, entry: Entry): void {
    if (!this.cache.has(workspace) && !this.seen.delete(workspace)) {
      this.seen.add(workspace);
      if (this.seen.size > 4 * this.maxWorkspaces) this.seen.delete(this.seen.values().next().value!);
      return;
    }
    this.cache.delete(workspace);
    this.cache.set(workspace, entry);
    if (this.cache.size > this.maxWorkspaces) this.cache.delete(this.cache.keys().next().value!);
  }
}

/**
 * "topic/failure-mode", built once per pair: the what-if search asks for every failure mode ~25 times a
 * consultation. Bounded by the knowledge base's pairs (the assessment only asks for its own).
 */
const keys = new Map<string, Map<string, string>>();
function learnedKey(topic: string, failureMode: string): string {
  let byMode = keys.get(topic);
  if (!byMode) keys.set(topic, (byMode = new Map()));
  let key = byMode.get(failureMode);
  if (key === undefined) byMode.set(failureMode, (key = `${topic}/${failureMode}`));
  return key;
}

const emptyFit = (): Fit => ({ learned: learnCalibration([]), ranges: learnRanges([]) });

/** The fields a fit has today: a stored one with other fields (older code) is refit. */
const SHAPE = [Object.keys(learnCalibration([])).sort().join(','), Object.keys(learnRanges([])).sort().join(',')].join(';');

const withMaps = (_key: string, value: unknown): unknown => (value instanceof Map ? { entries: [...value] } : value);
/**
 * Entry lists back to Maps, children first, in place. A walk after a plain parse: a JSON.parse reviver
 * did the same at ~3.5× the cost (87 µs against 25 µs for a world fit), paid on every consultation in a
 * workspace the cache had let go (bench:scale).
 */
function toMaps(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toMaps(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === 'entries' && Array.isArray(record.entries)) return new Map(toMaps(record.entries) as Array<[unknown, unknown]>);
  for (const k of keys) record[k] = toMaps(record[k]);
  return record;
}

/** JSON with Maps kept as entry lists, tagged with the shape it was written in. */
export function serialiseFit(fit: Fit): string {
  return JSON.stringify({ shape: SHAPE, ...fit }, withMaps);
}

export function parseFit(json: string): Fit | undefined {
  try {
    const parsed = toMaps(JSON.parse(json)) as { shape?: unknown } & Partial<Fit>;
    return parsed.shape === SHAPE && parsed.learned && parsed.ranges ? { learned: parsed.learned, ranges: parsed.ranges } : undefined;
  } catch {
    return undefined;
  }
}

/** The probability part alone, as stored with the ranges. */
export function serialiseLearned(learned: LearnedCalibration): string {
  return serialiseFit({ learned, ranges: learnRanges([]) });
}

export function parseLearned(json: string): LearnedCalibration | undefined {
  return parseFit(json)?.learned;
}
