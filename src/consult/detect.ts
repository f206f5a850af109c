// Topic detection: scores a question against each topic's whole text (BM25+ over the knowledge, by
// MiniSearch) fused with its trigger phrases, then decides: a topic, general, unsure (with candidates) or none.
import type { KnowledgeBase } from '../knowledge/load.js';
import { phraseAt, stem, STOP_WORDS, stripMarkup, tokenize, type Word } from './text.js';
import { contentStems, FIELD_BOOST, topicIndex, type TopicIndex, type Trigger } from './topic-index.js';

export interface Candidate {
  topic: string;
  /** The topic's share of the evidence, 0–1. */
  score: number;
}

export interface Detection {
  /** null when the text is not an architecture question at all (a greeting, small talk). */
  topic: string | null;
  confidence: number;
  runnerUp: string | null;
  /** Trigger phrases and products found, as the knowledge writes them. */
  matched: string[];
  /** Up to three topics, the detected one first, then by score: what to offer when unsure. */
  candidates: Candidate[];
  /** True when the best topic is not clearly ahead of the next: ask rather than assume. */
  unsure: boolean;
  /** For general: the technology the question names that no topic covers ("Kafka"), when there is one. */
  subject: string | null;
  /** Content words the knowledge does not know, for a question that fell to general or was unsure. */
  unmatchedTerms: string[];
}

export const GENERAL = 'general';

/** Tuned on the tuning half of test/consult/detection-set.yaml (npm run eval:detect -- --half tune); see README. */
export const TUNING = {
  /** Trigger weights: a product name, a phrase, and each word of a phrase after the first. */
  product: 3,
  phrase: 2,
  extraWord: 1,
  /** How much the BM25 score counts against trigger points. */
  bm25: 0.3,
  /** A specific topic needs this fused score; with a trigger or a decision cue, the lower one. */
  strong: 3,
  weak: 1,
  /**
   * A specific topic must reach this share of general's score to beat it; less when one of its own
   * trigger phrases or products is in the question (general is the fallback, not a rival).
   */
  overGeneral: 1,
  overGeneralTriggered: 0.5,
  /** Unsure when the runner-up reaches this share of the best score. */
  unsureRatio: 0.7,
  /** Typo tolerance by word length. */
  fuzzyLong: 8,
} as const;

export interface Evidence {
  words: Word[];
  trig: Map<string, number>;
  bm25: Map<string, number>;
  matched: Trigger[];
  /** An explicit decision cue ("should we", "worth it", "vs"). */
  cue: boolean;
  /** A question mark. */
  question: boolean;
  /** A cue or a question mark: the text asks something. */
  decision: boolean;
  chatter: boolean;
}

/** A word the knowledge does not know, close to a name or term it does (kubernets → kubernetes). */
function correct(index: TopicIndex, raw: string): string {
  const bucket = index.spellings.get(raw[0] ?? '');
  if (!bucket || raw.length < 5 || !/^[a-z]+$/.test(raw) || index.known.has(stem(raw)) || bucket.has(raw)) return raw;
  const cached = index.corrections.get(raw);
  if (cached !== undefined) return cached;
  const found = bucket.fuzzyGet(raw, raw.length >= TUNING.fuzzyLong ? 2 : 1);
  let best = raw;
  let distance = Infinity;
  for (const [term, [, d]] of found) {
    if (d < distance || (d === distance && term < best)) [best, distance] = [term, d];
  }
  // Questions reuse words; the search over the spellings is the costly part of reading one.
  if (index.corrections.size >= MAX_CORRECTIONS) index.corrections.clear();
  index.corrections.set(raw, best);
  return best;
}

const MAX_CORRECTIONS = 10_000;
const MIN_CANDIDATE_SHARE = 0.05;
const MIN_PREFIX = 6;

function hasPhrase(stems: readonly string[], phrases: ReadonlyMap<string, string[][]>): boolean {
  for (let i = 0; i < stems.length; i++) for (const p of phrases.get(stems[i]!) ?? []) if (phraseAt(stems, i, p)) return true;
  return false;
}

/** Whether some word of the knowledge starts with `prefix` (a binary search; MiniSearch's own look-up costs more). */
function startsAnyKnown(index: TopicIndex, prefix: string): boolean {
  const sorted = index.sortedKnown;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]!.startsWith(prefix);
}

/**
 * One word's BM25+ score per topic, by MiniSearch. An OR query scores the sum of its words' scores (times
 * the number matched, which detection does not want), so each word is asked once and remembered: the
 * knowledge's words are a fixed few thousand; other words (prefix look-ups) go in a bounded cache.
 */
function termScores(index: TopicIndex, term: string): Array<[string, number]> {
  let scores = index.termScores.get(term);
  if (scores === undefined) {
    const known = index.known.has(term);
    scores = index.search
      .search(term, {
        tokenize: (q) => [q],
        processTerm: (t) => t,
        prefix: !known,
        boost: FIELD_BOOST,
        boostTerm: (t) => index.specificity.get(t) ?? 1,
      })
      .map((r) => [String(r.id), r.score] as [string, number]);
    if (!known && ++index.unknownScored > MAX_CORRECTIONS) {
      // Bounded: drop what unknown words left behind, keep the knowledge's own.
      for (const key of index.termScores.keys()) if (!index.known.has(key)) index.termScores.delete(key);
      index.unknownScored = 0;
    }
    index.termScores.set(term, scores);
  }
  return scores;
}

/** The evidence for each topic, before any decision: for the tuning tools and tests. */
export function gather(index: TopicIndex, text: string): Evidence {
  const read = tokenize(text).map((raw) => ({ raw, stem: stem(correct(index, raw)) }));
  const words = index.folder.fold(read);
  const stems = words.map((w) => w.stem);
  // Cues are plain language, read before synonyms are folded ("roll out" is a cue, not "deploy").
  const plain = read.map((w) => w.stem);
  const question = /\?\s*$/.test(text.trim()) || /\?\s/.test(text);
  const trig = new Map<string, number>();
  const matched: Trigger[] = [];
  for (let i = 0; i < stems.length; i++) {
    for (const trigger of index.triggers.get(stems[i]!) ?? []) {
      if (matched.includes(trigger) || !phraseAt(stems, i, trigger.stems)) continue;
      matched.push(trigger);
      const weight = (trigger.product ? TUNING.product : TUNING.phrase) + TUNING.extraWord * (trigger.stems.length - 1);
      // A name several topics share (Istio, gRPC) is split between them.
      for (const t of trigger.topics) trig.set(t, (trig.get(t) ?? 0) + weight / trigger.topics.length);
    }
  }
  const bm25 = new Map<string, number>();
  // A word the knowledge knows is looked up as it is; an unknown long one by prefix (cockroach → cockroachdb);
  // an unknown short one cannot match anything, so MiniSearch is not asked about it.
  for (const term of new Set(contentStems(words))) {
    if (!index.known.has(term) && (term.length < MIN_PREFIX || !startsAnyKnown(index, term))) continue;
    for (const [topic, score] of termScores(index, term)) bm25.set(topic, (bm25.get(topic) ?? 0) + score);
  }
  const cue = hasPhrase(plain, index.decisionCues);
  return { words, trig, bm25, matched, cue, question, decision: cue || question, chatter: hasPhrase(plain, index.chatter) };
}

/** Unknown words written like names: capitalised mid-sentence, or with digits or symbols (S3, Node.js, C#). */
function nameLike(index: TopicIndex, text: string): string[] {
  const names: string[] = [];
  const pieces = stripMarkup(text).split(/[^A-Za-z0-9.+#\u2019']+/).filter((p) => p.length > 1);
  pieces.forEach((piece, i) => {
    const word = piece.replace(/^[.]+|[.]+$/g, '');
    const lower = word.toLowerCase().replace(/[\u2019']/g, '');
    if (STOP_WORDS.has(lower) || index.known.has(stem(lower)) || /^\d+$/.test(word)) return;
    const capital = i > 0 && /[A-Z]/.test(word) && !/^[A-Z][a-z]*$/.test(word) ? true : i > 0 && /^[A-Z][a-z]+$/.test(word);
    // A quantity with a unit (2s, 50ms, 10x, 3TB) is not a name.
    if ((capital || /[0-9.+#]/.test(word)) && !/^\d+[a-z]{0,3}$/i.test(word)) names.push(word);
  });
  return names;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Content words the knowledge has no word for: what a gap in the knowledge base would be named by. */
function unmatched(index: TopicIndex, words: readonly Word[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (STOP_WORDS.has(w.raw) || index.known.has(w.stem) || index.cueStems.has(w.stem) || w.raw.length < 2 || /^\d+[a-z]{0,3}$/.test(w.raw) || out.includes(w.raw)) continue;
    out.push(w.raw);
  }
  return out.slice(0, 8);
}

export function detect(kb: KnowledgeBase, text: string): Detection {
  const index = topicIndex(kb);
  const ev = gather(index, text);
  const fused = new Map<string, number>();
  for (const id of kb.topics.keys()) {
    const score = (ev.bm25.get(id) ?? 0) * TUNING.bm25 + (ev.trig.get(id) ?? 0);
    if (score > 0) fused.set(id, score);
  }
  const ranked = [...fused.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = ranked.reduce((s, [, x]) => s + x, 0);
  // The chosen topic first, then the rest by score; a topic with a sliver of the evidence is not offered.
  const candidatesFor = (first: string | null): Candidate[] =>
    [...(first ? [first] : []), ...ranked.map(([id]) => id).filter((id) => id !== first)]
      .slice(0, 3)
      .map((topic) => ({ topic, score: total > 0 ? round2((fused.get(topic) ?? 0) / total) : 0 }))
      .filter((c, i) => i === 0 || c.score >= MIN_CANDIDATE_SHARE);
  const candidates = candidatesFor(null);
  const matched = ev.matched.map((t) => t.phrase);
  const none: Detection = { topic: null, confidence: 0, runnerUp: null, matched, candidates, unsure: false, subject: null, unmatchedTerms: [] };
  // Everyday chatter ("thanks", "who is on call", "can someone review my PR") is not a question for the bot,
  // unless it also weighs a decision and asks it, or names a topic's own product or phrase.
  if (ev.chatter && !(ev.cue && (ev.question || ev.trig.size > 0))) return none;

  const specific = ranked.filter(([id]) => id !== GENERAL);
  const general = fused.get(GENERAL) ?? 0;
  const [best] = specific;
  const triggered = best !== undefined && (ev.trig.get(best[0]) ?? 0) > 0;
  const specificWins =
    best !== undefined &&
    (best[1] >= TUNING.strong || ((triggered || ev.cue) && best[1] >= TUNING.weak)) &&
    best[1] >= general * (triggered ? TUNING.overGeneralTriggered : TUNING.overGeneral);

  if (specificWins) {
    const [topic, top] = best;
    // Close to general is not doubt between topics when the question names this one's own words.
    const next = ranked.find(([id]) => id !== topic && (id !== GENERAL || !triggered));
    const unsure = next !== undefined && next[1] >= top * TUNING.unsureRatio;
    const confidence = round2((top / total) * Math.min(1, top / TUNING.strong));
    return {
      topic,
      confidence,
      runnerUp: next?.[0] ?? null,
      matched,
      candidates: candidatesFor(topic),
      unsure,
      subject: null,
      unmatchedTerms: unsure ? unmatched(index, ev.words) : [],
    };
  }
  const unknown = unmatched(index, ev.words);
  const generalTrigger = (ev.trig.get(GENERAL) ?? 0) > 0;
  const names = ev.cue ? nameLike(index, text) : [];
  // General: its own words, or a decision being weighed about something (even what the knowledge has no
  // word for: "should we roll our own auth"); a bare question mark needs general's evidence to count.
  if (generalTrigger || (ev.cue && (general > 0 || unknown.length > 0)) || (ev.question && general >= TUNING.weak)) {
    const stems = ev.words.map((w) => w.stem);
    const named = stems.flatMap((s, i) => (index.generalNames.get(s) ?? []).filter((t) => phraseAt(stems, i, t.stems)));
    return {
      topic: GENERAL,
      confidence: round2(Math.min(0.9, 0.3 + general / 10)),
      runnerUp: candidates.find((c) => c.topic !== GENERAL)?.topic ?? null,
      matched,
      candidates: candidatesFor(GENERAL),
      unsure: false,
      subject: named[0]?.phrase ?? names[0] ?? null,
      unmatchedTerms: unknown,
    };
  }
  return none;
}
