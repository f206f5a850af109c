// The workspace's own record on a topic, as a new verdict shows it: how many asked before and when,
// what they were told, what happened to them and what they wrote. Summarised without I/O from the
// store's record (at most HISTORY_LIMIT consultations, read from one index), saved with the verdict.
import { z } from 'zod';
import { topicRecord } from '../store/decisions.js';
import type { Decision, PastStory, Platform, RecordEntry, Store, TopicRecord } from '../store/index.js';

/** Consultations a verdict reads: the latest ones on the topic, never the whole history. */
export const HISTORY_LIMIT = 50;
export const MAX_QUOTED_STORIES = 3;

const platform = z.enum(['slack', 'teams', 'cli']) satisfies z.ZodType<Platform>;

/** The snapshot as saved with a consultation (JSON), parsed back at the boundary when it is shown again. */
export const workspaceHistorySchema = z.object({
  consultations: z.number().int().nonnegative(),
  /** True when there were more earlier consultations than the HISTORY_LIMIT read. */
  truncated: z.boolean(),
  askers: z.number().int().nonnegative(),
  firstAt: z.number(),
  lastAt: z.number(),
  verdicts: z.record(z.string(), z.number().int()),
  /** Consultations someone came back to: an outcome, an actual, a story, or "we didn't adopt it". */
  resolved: z.number().int().nonnegative(),
  notAdopted: z.number().int().nonnegative(),
  /** The failure modes predicted now: in how many adopted earlier consultations each was answered, and happened. */
  failureModes: z.array(z.object({ id: z.string(), happened: z.number().int(), resolved: z.number().int() })),
  costRatio: z.number().nullable(),
  costReports: z.number().int(),
  timeRatio: z.number().nullable(),
  timeReports: z.number().int(),
  /** Up to three stories that are not private, newest first. */
  stories: z.array(z.object({
    consultationId: z.string(),
    text: z.string(),
    recordedAt: z.number(),
    recordedBy: z.string(),
    author: z.string().nullable(),
    platform,
    link: z.string().nullable(),
  })),
  /** Stories written but kept private: counted, never quoted. */
  privateStories: z.number().int().nonnegative(),
});
export type WorkspaceHistory = z.infer<typeof workspaceHistorySchema>;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median and count of the actual-over-predicted ratios of one kind. */
function ratio(record: TopicRecord, kind: 'cost' | 'time'): { ratio: number | null; reports: number } {
  const ratios = record.ratios.filter((r) => r.kind === kind).map((r) => r.ratio);
  return { ratio: median(ratios), reports: ratios.length };
}

/**
 * The record of `record` (earlier consultations on the topic in one workspace, newest first, and what their
 * adopted ones' outcomes add up to) for a verdict that predicts `failureModeIds`; null when there is none.
 * Not-adopted consultations count as asked and resolved, but their failure modes and actuals leave the
 * figures, as they leave the scores.
 */
export function summariseRecord(record: TopicRecord, failureModeIds: readonly string[], limit = HISTORY_LIMIT): WorkspaceHistory | null {
  const past = record.decisions;
  if (past.length === 0) return null;
  const verdicts: Record<string, number> = {};
  let firstAt = Infinity;
  let lastAt = -Infinity;
  let resolved = 0;
  let notAdopted = 0;
  let privateStories = 0;
  const askers = new Set<string>();
  const stories: Array<{ d: RecordEntry; story: PastStory; text: string }> = [];
  for (const d of past) {
    verdicts[d.verdict] = (verdicts[d.verdict] ?? 0) + 1;
    firstAt = Math.min(firstAt, d.createdAt);
    lastAt = Math.max(lastAt, d.createdAt);
    askers.add(d.userId);
    if (d.notAdopted) notAdopted++;
    if (d.notAdopted || d.story !== null || d.answered) resolved++;
    if (d.story?.private) privateStories++;
    else if (d.story && d.story.text !== null) stories.push({ d, story: d.story, text: d.story.text });
  }
  stories.sort((a, b) => b.story.recordedAt - a.story.recordedAt || a.d.id.localeCompare(b.d.id));
  const tally = new Map(record.failureModes.map((f) => [f.id, f]));
  const cost = ratio(record, 'cost');
  const time = ratio(record, 'time');
  return {
    consultations: past.length,
    truncated: past.length >= limit,
    askers: askers.size,
    firstAt,
    lastAt,
    verdicts,
    resolved,
    notAdopted,
    failureModes: failureModeIds.map((id) => {
      const t = tally.get(id);
      return { id, happened: t?.happened ?? 0, resolved: t?.resolved ?? 0 };
    }),
    costRatio: cost.ratio,
    costReports: cost.reports,
    timeRatio: time.ratio,
    timeReports: time.reports,
    stories: stories.slice(0, MAX_QUOTED_STORIES).map(({ d, story, text }) => ({
      consultationId: d.id,
      text,
      recordedAt: story.recordedAt,
      recordedBy: story.recordedBy,
      author: story.author,
      platform: d.platform,
      link: d.link,
    })),
    privateStories,
  };
}

/** The record of decisions read whole (newest first): the same summary, as the store's `record` adds them up. */
export function summariseHistory(past: Decision[], failureModeIds: readonly string[], limit = HISTORY_LIMIT): WorkspaceHistory | null {
  return summariseRecord(topicRecord(past), failureModeIds, limit);
}

/** The record as of `now`: the latest consultations on the topic in this workspace only. */
export async function loadWorkspaceHistory(store: Store, workspace: string, topic: string, failureModeIds: readonly string[], now: number): Promise<WorkspaceHistory | null> {
  // Up to and including `now`: the new consultation is not saved yet, and an injected clock may stand still.
  const record = await store.consultations.record(workspace, { topic, before: now + 1, limit: HISTORY_LIMIT });
  return summariseRecord(record, failureModeIds);
}

/** A saved snapshot, or null when there is none or it does not parse (never fails a re-render). */
export function parseHistory(value: unknown): WorkspaceHistory | null {
  if (value === null || value === undefined) return null;
  const parsed = workspaceHistorySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** `ask --json`'s `history`: the figures a script needs, with times as ISO strings. */
export function historyJson(h: WorkspaceHistory | null): unknown {
  if (!h) return null;
  return {
    consultations: h.consultations,
    resolved: h.resolved,
    failureModes: h.failureModes.map(({ id, happened, resolved }) => ({ id, happened, resolved })),
    stories: h.stories.map((s) => ({ consultationId: s.consultationId, text: s.text, recordedAt: new Date(s.recordedAt).toISOString() })),
    costRatio: h.costRatio,
    timeRatio: h.timeRatio,
  };
}
