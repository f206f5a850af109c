// What both engines share about the workspace's record: turning search words into safe terms, and
// assembling decisions from the two rows each engine reads (the consultations, then their outcomes).
import type { Decision, Platform } from './types.js';

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
}

/** One predicted failure mode (kind "fm") or estimate (kind "cost"/"time") of those consultations. */
export interface DecisionOutcomeRaw {
  cid: string;
  kind: 'fm' | 'cost' | 'time';
  name: string | null;
  happened: number | null;
  p50: number | null;
  actual: number | null;
}

/** Column list of the first query, the same SQL on both engines. */
export const DECISION_COLUMNS = `c.id, c.platform, c.user_id, c.question, c.topic, c.verdict, c.created_at, c.check_in_at, c.not_adopted,
  CASE WHEN c.story_private = 0 THEN c.story END AS story_text, c.story_private, c.story_by, c.story_author, c.story_at,
  coalesce(c.verdict_url, c.source_url) AS link`;

export function assembleDecisions(rows: DecisionRaw[], outcomes: DecisionOutcomeRaw[]): Decision[] {
  const byId = new Map<string, Decision>();
  const out = rows.map((r) => {
    const d: Decision = {
      id: r.id,
      platform: r.platform,
      userId: r.user_id,
      question: r.question,
      topic: r.topic,
      verdict: r.verdict,
      createdAt: r.created_at,
      checkInAt: r.check_in_at,
      notAdopted: r.not_adopted === 1,
      // story_at is set exactly when a story is.
      story: r.story_at === null ? null : { text: r.story_private === 1 ? null : r.story_text, private: r.story_private === 1, recordedBy: r.story_by ?? '', author: r.story_author, recordedAt: r.story_at },
      link: r.link,
      failureModes: [],
      estimates: [],
    };
    byId.set(r.id, d);
    return d;
  });
  for (const o of outcomes) {
    const d = byId.get(o.cid);
    if (!d) continue;
    if (o.kind === 'fm') d.failureModes.push({ id: o.name ?? '', happened: o.happened === null ? null : o.happened === 1 });
    else d.estimates.push({ kind: o.kind, p50: o.p50 ?? 0, actual: o.actual });
  }
  return out;
}
