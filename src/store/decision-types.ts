// The shapes of the workspace's own record as the store hands it out: a check-in's story, and past
// decisions (a consultation with its outcomes and story) for a verdict's history and for search.
import type { Platform } from './types.js';

/** What happened, in the words of whoever recorded the check-in. A private story is counted, never quoted. */
export interface Story {
  text: string;
  private: boolean;
  /** The user id that recorded it. */
  recordedBy: string;
  /** Their name as the surface knew it (Slack user name, Teams display name, terminal user); null when unknown. */
  author: string | null;
  recordedAt: number;
}

/** A story as the workspace's record may show it: the text is null when the story is private. */
export interface PastStory {
  text: string | null;
  private: boolean;
  recordedBy: string;
  author: string | null;
  recordedAt: number;
}

/** An earlier consultation with what became of it: the unit of the workspace's record and its search. */
export interface Decision {
  id: string;
  platform: Platform;
  userId: string;
  question: string;
  topic: string;
  verdict: string;
  createdAt: number;
  checkInAt: number;
  notAdopted: boolean;
  story: PastStory | null;
  /** The verdict's link, else the source message's, else null. */
  link: string | null;
  /** Every predicted failure mode in saving order; happened is null while unanswered. */
  failureModes: Array<{ id: string; happened: boolean | null }>;
  /** Predicted median and the actual, when recorded. */
  estimates: Array<{ kind: 'cost' | 'time'; p50: number; actual: number | null }>;
}

export interface DecisionQuery {
  /** Words to search questions and (non-private) stories for, best match first; newest first without. */
  words?: string;
  topic?: string;
  userId?: string;
  /** Only consultations created before this time. */
  before?: number;
  limit: number;
}

/** An earlier consultation as a verdict's record counts it: who, when, what, its story, whether anything was answered. */
export interface RecordEntry {
  id: string;
  platform: Platform;
  userId: string;
  verdict: string;
  createdAt: number;
  notAdopted: boolean;
  story: PastStory | null;
  /** The link a quoted story points to (its verdict, else the message it came from); null without a story. */
  link: string | null;
  /** A failure mode or an estimate of it has an answer. */
  answered: boolean;
}

/**
 * The latest consultations on a topic, newest first, with what their adopted ones' outcome records add up to:
 * for each failure mode, in how many it was answered and happened; for each estimate with an actual, the
 * actual over the predicted median. What a verdict's record needs, without each decision's whole record.
 */
export interface TopicRecord {
  decisions: RecordEntry[];
  /** In no particular order. */
  failureModes: Array<{ id: string; resolved: number; happened: number }>;
  /** In no particular order; only estimates whose predicted median is above 0. */
  ratios: Array<{ kind: 'cost' | 'time'; ratio: number }>;
}

export interface RecordQuery {
  topic: string;
  /** Only consultations created before this time. */
  before: number;
  limit: number;
}
