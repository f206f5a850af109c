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
