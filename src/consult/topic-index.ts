// The search index detection scores questions against: each topic's whole text in MiniSearch (BM25+, one
// field per part of the topic), its trigger phrases, and the shared cues, built once per knowledge base.
import MiniSearch from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Topic } from '../knowledge/schema.js';
import { readWords, stem, STOP_WORDS, SynonymFolder, tokenize, type Word } from './text.js';

export interface Trigger {
  topics: string[];
  stems: string[];
  /** As written in the knowledge: what `matched` reports and what "no war stories on X" names. */
  phrase: string;
  product: boolean;
}

export interface TopicIndex {
  search: MiniSearch<TopicDocument>;
  folder: SynonymFolder;
  /** Trigger phrases and products by their first stem. */
  triggers: Map<string, Trigger[]>;
  /** Cue phrases (as stems) by their first stem. */
  decisionCues: Map<string, string[][]>;
  chatter: Map<string, string[][]>;
  /** Every stem the knowledge uses anywhere: what a question's word must be to count as known. */
  known: Set<string>;
  /**
   * Names and jargon (triggers, products, vocabulary), as written, that a typo may be corrected to, by first
   * letter: typos rarely change the first letter, and a small map makes the fuzzy search cheap.
   */
  spellings: Map<string, SearchableMap<true>>;
  /** The known stems in order, to tell cheaply whether any starts with a prefix. */
  sortedKnown: string[];
  /**
   * How specific a stem is to a few topics, 0–1: an inverse document frequency over whole topics.
   * MiniSearch's own is per field, so a word every topic uses ("service", "team") still scores in the
   * one field where it is rare; this weight makes such words count for little.
   */
  specificity: Map<string, number>;
  /** Product names of the general topic (its products and capitalised vocabulary), to name a question's subject. */
  generalNames: Map<string, Trigger[]>;
  /** Stems of the cue and chatter phrases: language, never an unknown term. */
  cueStems: Set<string>;
  /** Typo corrections already worked out, word → correction (bounded; see detect's `correct`). */
  corrections: Map<string, string>;
  /** Per-word BM25 scores already asked of MiniSearch (see detect's `termScores`), and how many are unknown words. */
  termScores: Map<string, Array<[string, number]>>;
  unknownScored: number;
}

interface TopicDocument {
  id: string;
  /** What people call the topic: title, trigger phrases, products and vocabulary. */
  names: string;
  /** What the topic says: claim, summary and stories. */
  about: string;
  /** What it asks and predicts: questions and choices, failure modes, alternatives. */
  detail: string;
}

/**
 * Per-field weight: the words people use for a topic count more than the words of its advice. Three
 * fields, not one per part of a topic: MiniSearch's work per query term grows with the number of fields.
 */
export const FIELD_BOOST = {
  names: 3,
  about: 1.25,
  detail: 1,
} as const;

const FIELDS = Object.keys(FIELD_BOOST) as Array<keyof typeof FIELD_BOOST>;
const MIN_SPELLING = 5;

function documentOf(topic: Topic): TopicDocument {
  return {
    id: topic.id,
    names: [topic.title, ...topic.triggers.phrases, ...topic.triggers.products, ...topic.vocabulary].join('\n'),
    about: [topic.claim, topic.summary, ...topic.stories.flatMap((s) => [s.title, s.text])].join('\n'),
    detail: [
      ...topic.questions.flatMap((q) => [q.text, q.help ?? '', ...q.choices.map((c) => c.label)]),
      ...topic.failureModes.flatMap((f) => [f.name, f.description, f.sign]),
      ...topic.alternatives.flatMap((a) => [a.name, a.summary, a.fits]),
    ].join('\n'),
  };
}

export function contentStems(words: readonly Word[]): string[] {
  return words.filter((w) => !STOP_WORDS.has(w.raw)).map((w) => w.stem);
}

function buildTopicIndex(kb: KnowledgeBase): TopicIndex {
  const folder = new SynonymFolder(kb.vocabulary.synonyms);
  const known = new Set<string>();
  let inDocument = new Set<string>();
  const search = new MiniSearch<TopicDocument>({
    fields: FIELDS,
    // MiniSearch gets the words stemmed and folded, and keeps them as they are.
    tokenize: (text) => {
      const stems = contentStems(readWords(text, folder));
      for (const s of stems) inDocument.add(s);
      return stems;
    },
    processTerm: (term) => term,
  });
  const topics = [...kb.topics.values()];
  const topicsWith = new Map<string, number>();
  for (const topic of topics) {
    inDocument = new Set();
    search.add(documentOf(topic));
    for (const s of inDocument) {
      known.add(s);
      topicsWith.set(s, (topicsWith.get(s) ?? 0) + 1);
    }
  }
  const idf = (n: number): number => Math.log(1 + (topics.length - n + 0.5) / (n + 0.5));
  const specificity = new Map([...topicsWith].map(([s, n]) => [s, idf(n) / idf(1)]));

  const byPhrase = new Map<string, Trigger>();
  const spellings = new Map<string, SearchableMap<true>>();
  const spell = (raw: string): void => {
    if (raw.length < MIN_SPELLING || !/^[a-z]+$/.test(raw)) return;
    let bucket = spellings.get(raw[0]!);
    if (!bucket) spellings.set(raw[0]!, (bucket = new SearchableMap<true>()));
    bucket.set(raw, true);
  };
  for (const topic of topics) {
    const add = (phrase: string, product: boolean): void => {
      const stems = readWords(phrase, folder).map((w) => w.stem);
      if (stems.length === 0) return;
      const key = stems.join(' ');
      const found = byPhrase.get(key);
      if (found) {
        if (!found.topics.includes(topic.id)) found.topics.push(topic.id);
        found.product ||= product;
      } else byPhrase.set(key, { topics: [topic.id], stems, phrase, product });
    };
    topic.triggers.phrases.forEach((p) => add(p, false));
    topic.triggers.products.forEach((p) => add(p, true));
    for (const text of [topic.title, ...topic.triggers.phrases, ...topic.triggers.products, ...topic.vocabulary]) {
      for (const raw of tokenize(text)) spell(raw);
    }
  }
  for (const group of kb.vocabulary.synonyms) {
    for (const text of group) for (const raw of tokenize(text)) spell(raw);
  }
  const byFirstStem = (list: Iterable<Trigger>): Map<string, Trigger[]> => {
    const map = new Map<string, Trigger[]>();
    for (const trigger of list) map.set(trigger.stems[0]!, [...(map.get(trigger.stems[0]!) ?? []), trigger]);
    return map;
  };
  const triggers = byFirstStem(byPhrase.values());
  const general = kb.topics.get('general');
  const generalNames = byFirstStem(
    [...(general?.triggers.products ?? []), ...(general?.vocabulary ?? []).filter((v) => /^[A-Z]/.test(v))].map((phrase) => ({
      topics: ['general'],
      stems: readWords(phrase, folder).map((w) => w.stem),
      phrase,
      product: true,
    })),
  );
  // Cues are matched on words before synonyms are folded: they are language, not topic vocabulary.
  const phrases = (list: string[]): Map<string, string[][]> => {
    const map = new Map<string, string[][]>();
    for (const p of list.map((x) => tokenize(x).map(stem)).filter((x) => x.length > 0)) map.set(p[0]!, [...(map.get(p[0]!) ?? []), p]);
    return map;
  };
  const decisionCues = phrases(kb.vocabulary.decisionCues);
  const chatter = phrases(kb.vocabulary.chatter);
  const cueStems = new Set([...decisionCues.values(), ...chatter.values()].flat(2));
  return { search, folder, triggers, decisionCues, chatter, known, sortedKnown: [...known].sort(), spellings, specificity, generalNames, cueStems, corrections: new Map(), termScores: new Map(), unknownScored: 0 };
}

const indexes = new WeakMap<KnowledgeBase, TopicIndex>();

/** Built on first use (a few milliseconds), so a server's start does not pay for it. */
export function topicIndex(kb: KnowledgeBase): TopicIndex {
  let index = indexes.get(kb);
  if (!index) {
    index = buildTopicIndex(kb);
    indexes.set(kb, index);
  }
  return index;
}
