// What both engines share about the workspace's record: turning search words into safe terms, the outcome
// record each consultation row keeps (record_json), and assembling decisions from the rows each engine reads.
import type { Decision, OutcomeInput, PastStory, Platform, RecordEntry, TopicRecord } from './types.js';

/** The most terms a search uses; more words add little and cost a longer index scan. */
export const MAX_SEARCH_TERMS = 12;

/**
 * Letters and digits only, lowercased and deduplicated: what the user typed never reaches the FTS5 or
 * tsquery parser as syntax (no quotes, operators, column filters or prefixes of theirs).
 */
export function searchTerms(words: string): string[] {
  const terms = words.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(terms.map((t) => t.slice(0, 64)))].slice(0, MAX_SEARCH_TERMS);
}

/** One consultation as both engines select it for the record (the column names are the same). */
export interface DecisionRaw {
  id: string;
  platform: Platform;
  user_id: string;
  question: string;
  topic: string;
  verdict: string;
  created_at: number;
  check_in_at: number;
  not_adopted: number;
  /** Null when the story is private: the text of a private story is never read for the record. */
  story_text: string | null;
  story_private: number;
  story_by: string | null;
  story_author: string | null;
  story_at: number | null;
  link: string | null;
  record_json: string;
}

/**
 * What became of a consultation's predictions, in saving order, as its row keeps it (record_json): each
 * failure mode with its answer (1, 0, or null while open) and each estimate's median with the actual.
 * `save` writes it with every answer open and `recordOutcomes` rewrites it in the same transaction as the
 * outcomes, so the record a verdict shows reads one row per past decision, not its predictions, estimates
 * and outcomes (bench:scale: ~450 scattered rows per verdict in a 23 GB world).
 */
export interface OutcomeRecord {
  f: Array<[failureMode: string, happened: 0 | 1 | null]>;
  e: Array<[kind: 'cost' | 'time', p50: number, actual: number | null]>;
}

/** The record_json of a consultation; pass predictions and estimates in saving order (by id). */
export function outcomeRecord(
  predictions: ReadonlyArray<{ failureMode: string; happened: 0 | 1 | null }>,
  estimates: ReadonlyArray<{ kind: 'cost' | 'time'; p50: number; actual: number | null }>,
): string {
  const record: OutcomeRecord = { f: predictions.map((p) => [p.failureMode, p.happened]), e: estimates.map((e) => [e.kind, e.p50, e.actual]) };
  return JSON.stringify(record);
}

/** The record_json `save` writes: every failure mode and estimate still open. */
export const openRecord = (c: { predictions: ReadonlyArray<{ failureMode: string }>; estimates: ReadonlyArray<{ kind: 'cost' | 'time'; p50: number }> }): string =>
  outcomeRecord(c.predictions.map((p) => ({ failureMode: p.failureMode, happened: null })), c.estimates.map((e) => ({ kind: e.kind, p50: e.p50, actual: null })));

/**
 * The consultation row's columns an outcome input changes, with their values: its outcome record always,
 * the rest only when the input names them (a later click on an older message must not undo "we didn't
 * adopt it"). One UPDATE: the row carries the whole assessment, and each UPDATE rewrites all of it.
 */
export function consultationChanges(input: OutcomeInput, record: string, recordedBy: string, recordedAt: number): Array<[column: string, value: string | number | null]> {
  const set: Array<[string, string | number | null]> = [['record_json', record]];
  if (input.notAdopted !== undefined) set.push(['not_adopted', input.notAdopted ? 1 : 0]);
  if (input.story !== undefined) {
    const s = input.story;
    set.push(['story', s?.text ?? null], ['story_private', s?.private ? 1 : 0], ['story_by', s ? recordedBy : null], ['story_author', s?.author ?? null], ['story_at', s ? recordedAt : null]);
  }
  if (input.followedAlternative !== undefined) set.push(['followed_alternative', input.followedAlternative === null ? null : input.followedAlternative ? 1 : 0]);
  return set;
}

/** Saving order: ascending id (both engines number rows as they insert them). */
export const bySavingOrder = <T extends { id: number }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => a.id - b.id);

/** The story columns as both engines select them (the text already null when private). */
export type StoryRaw = Pick<DecisionRaw, 'story_text' | 'story_private' | 'story_by' | 'story_author' | 'story_at'>;

export function pastStory(r: StoryRaw): PastStory | null {
  // story_at is set exactly when a story is.
  return r.story_at === null ? null : { text: r.story_private === 1 ? null : r.story_text, private: r.story_private === 1, recordedBy: r.story_by ?? '', author: r.story_author, recordedAt: r.story_at };
}

export function assembleDecisions(rows: DecisionRaw[]): Decision[] {
  return rows.map((r) => {
    const record = JSON.parse(r.record_json) as OutcomeRecord;
    return {
      id: r.id,
      platform: r.platform,
      userId: r.user_id,
      question: r.question,
      topic: r.topic,
      verdict: r.verdict,
      createdAt: r.created_at,
      checkInAt: r.check_in_at,
      notAdopted: r.not_adopted === 1,
      story: pastStory(r),
      link: r.link,
      failureModes: record.f.map(([id, happened]) => ({ id, happened: happened === null ? null : happened === 1 })),
      estimates: record.e.map(([kind, p50, actual]) => ({ kind, p50, actual })),
    };
  });
}

/** What the adopted decisions' answers add up to, fed one decision at a time: both readers of a record keep to it. */
class RecordTally {
  private readonly failureModes = new Map<string, { id: string; resolved: number; happened: number }>();
  private readonly ratios: TopicRecord['ratios'] = [];

  /** Adds one decision's answers (those of a decision not adopted leave the figures); true when it has any. */
  add(adopted: boolean, failureModes: ReadonlyArray<readonly [string, boolean | 0 | 1 | null]>, estimates: ReadonlyArray<readonly ['cost' | 'time', number, number | null]>): boolean {
    let answered = false;
    for (const [id, happened] of failureModes) {
      if (happened === null) continue;
      answered = true;
      if (!adopted) continue;
      let t = this.failureModes.get(id);
      if (!t) this.failureModes.set(id, (t = { id, resolved: 0, happened: 0 }));
      t.resolved++;
      if (happened) t.happened++;
    }
    for (const [kind, p50, actual] of estimates) {
      if (actual === null) continue;
      answered = true;
      if (adopted && p50 > 0) this.ratios.push({ kind, ratio: actual / p50 });
    }
    return answered;
  }

  record(decisions: RecordEntry[]): TopicRecord {
    return { decisions, failureModes: [...this.failureModes.values()], ratios: this.ratios };
  }
}

/** What a verdict's record counts of `decisions` (newest first): the definition each engine's `record` keeps to. */
export function topicRecord(decisions: readonly Decision[]): TopicRecord {
  const tally = new RecordTally();
  return tally.record(decisions.map((d) => {
    const answered = tally.add(!d.notAdopted, d.failureModes.map((f) => [f.id, f.happened] as const), d.estimates.map((e) => [e.kind, e.p50, e.actual] as const));
    return { id: d.id, platform: d.platform, userId: d.userId, verdict: d.verdict, createdAt: d.createdAt, notAdopted: d.notAdopted, story: d.story, link: d.story ? d.link : null, answered };
  }));
}

/** A consultation as the record reads it: `DecisionRaw` without the question, topic and check-in. */
export type RecordRaw = Omit<DecisionRaw, 'question' | 'topic' | 'check_in_at'>;

/** The record's columns (a `RecordRaw`), the same SQL on both engines. */
export const RECORD_COLUMNS = `c.id, c.platform, c.user_id, c.verdict, c.created_at, c.not_adopted,
  CASE WHEN c.story_private = 0 THEN c.story END AS story_text, c.story_private, c.story_by, c.story_author, c.story_at,
  coalesce(c.verdict_url, c.source_url) AS link, c.record_json`;

/** A decision's columns (a `DecisionRaw`): the record's and what a decision shows besides. */
export const DECISION_COLUMNS = `${RECORD_COLUMNS}, c.question, c.topic, c.check_in_at`;

/**
 * Whether an outcome record (JSON.stringify's) may hold an answer: some `]` closes an entry whose last
 * value is not `null` (an answer: a number or a boolean), or anything else but a list (`]]`) or an empty
 * one (`[]`). Only a record with every answer open answers false, and that one adds nothing up.
 */
export const mayHoldAnswer = (json: string): boolean => ANSWER_END.test(json);
const ANSWER_END = /[^l\][]\]/;

/**
 * `topicRecord` of the rows, added up while each outcome record is parsed, without building the decisions
 * (bench:scale: ~4 KB of garbage per past decision that way, up to 50 per verdict; this is about a third).
 * A record still open is not parsed at all: it counts as asked and nothing else.
 */
export function recordFromRows(rows: readonly RecordRaw[]): TopicRecord {
  const tally = new RecordTally();
  return tally.record(rows.map((r) => {
    const adopted = r.not_adopted !== 1;
    let answered = false;
    if (mayHoldAnswer(r.record_json)) {
      const record = JSON.parse(r.record_json) as OutcomeRecord;
      answered = tally.add(adopted, record.f, record.e);
    }
    const story = pastStory(r);
    return { id: r.id, platform: r.platform, userId: r.user_id, verdict: r.verdict, createdAt: r.created_at, notAdopted: !adopted, story, link: story ? r.link : null, answered };
  }));
}
