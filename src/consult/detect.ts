// Topic detection: matches trigger phrases and product names (tolerating small typos) and picks the
// best topic; architecture questions that match none of the six specific topics fall to "general".
import type { KnowledgeBase } from '../knowledge/load.js';

export interface Detection {
  /** null when the text is not an architecture question at all (a greeting, small talk). */
  topic: string | null;
  confidence: number;
  runnerUp: string | null;
  matched: string[];
}

interface Trigger {
  topic: string;
  tokens: string[];
  weight: number;
  phrase: string;
}

interface Index {
  byFirstToken: Map<string, Trigger[]>;
  /** Long single tokens that a typo of one or two letters should still match. */
  fuzzy: Trigger[];
}

const GENERAL = 'general';
const PRODUCT_WEIGHT = 3;
const PHRASE_WEIGHT = 2;
const EXTRA_TOKEN_WEIGHT = 1;

/** Words that make a text an architecture decision even without a known product. */
const DECISION_CUES = [
  'should we', 'should i', 'do we need', 'is it worth', 'worth it', 'thinking of', 'thinking about', 'considering',
  'plan to', 'planning to', 'want to', 'migrate', 'migrating', 'migration', 'adopt', 'adopting', 'move to', 'moving to',
  'switch to', 'switching to', 'replace', 'rewrite', 'introduce', 'evaluate', 'evaluating', 'roll out', 'build our own',
  'use', 'using', 'go with', 'deploy', 'architecture',
].map((p) => p.split(' '));

const indexes = new WeakMap<KnowledgeBase, Index>();

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^a-z0-9.+#]+/)
    .map((t) => t.replace(/^[.]+|[.]+$/g, ''))
    .filter((t) => t.length > 0);
}

function buildIndex(kb: KnowledgeBase): Index {
  const byFirstToken = new Map<string, Trigger[]>();
  const fuzzy: Trigger[] = [];
  const known = new Set<string>();
  const add = (topic: string, phrase: string, isProduct: boolean): void => {
    const tokens = tokenize(phrase);
    const key = `${topic}\0${tokens.join(' ')}`;
    // The same words listed twice (a product in two spellings) count once.
    if (tokens.length === 0 || known.has(key)) return;
    known.add(key);
    const base = isProduct ? PRODUCT_WEIGHT : PHRASE_WEIGHT;
    const trigger: Trigger = { topic, tokens, weight: base + EXTRA_TOKEN_WEIGHT * (tokens.length - 1), phrase };
    const list = byFirstToken.get(tokens[0]!) ?? [];
    list.push(trigger);
    byFirstToken.set(tokens[0]!, list);
    if (tokens.length === 1 && tokens[0]!.length >= 6) fuzzy.push(trigger);
  };
  for (const topic of kb.topics.values()) {
    for (const phrase of topic.triggers.phrases) add(topic.id, phrase, false);
    for (const product of topic.triggers.products) add(topic.id, product, true);
  }
  return { byFirstToken, fuzzy };
}

/** Damerau–Levenshtein distance with an early exit once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    rows.push(row);
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
  }
  return rows[a.length]![b.length]!;
}

function matchesAt(tokens: string[], at: number, phrase: string[]): boolean {
  if (at + phrase.length > tokens.length) return false;
  for (let k = 0; k < phrase.length; k++) {
    const t = tokens[at + k]!;
    const p = phrase[k]!;
    // Plurals and simple inflections: "pods" ~ "pod", "microservices" ~ "microservice".
    if (t !== p && t !== `${p}s` && `${t}s` !== p && t !== `${p}es`) return false;
  }
  return true;
}

function hasDecisionCue(tokens: string[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    for (const cue of DECISION_CUES) if (matchesAt(tokens, i, cue)) return true;
  }
  return false;
}

export function detect(kb: KnowledgeBase, text: string): Detection {
  let index = indexes.get(kb);
  if (!index) {
    index = buildIndex(kb);
    indexes.set(kb, index);
  }
  const tokens = tokenize(text);
  const scores = new Map<string, number>();
  const matched: string[] = [];
  const seen = new Set<Trigger>();
  const credit = (trigger: Trigger, factor: number): void => {
    if (seen.has(trigger)) return;
    seen.add(trigger);
    scores.set(trigger.topic, (scores.get(trigger.topic) ?? 0) + trigger.weight * factor);
    matched.push(trigger.phrase);
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const candidates = [
      ...(index.byFirstToken.get(token) ?? []),
      ...(token.endsWith('s') ? index.byFirstToken.get(token.slice(0, -1)) ?? [] : []),
    ];
    let exact = false;
    for (const trigger of candidates) {
      if (matchesAt(tokens, i, trigger.tokens)) {
        credit(trigger, 1);
        exact = true;
      }
    }
    if (exact || token.length < 5) continue;
    for (const trigger of index.fuzzy) {
      const target = trigger.tokens[0]!;
      const allowed = target.length >= 9 ? 2 : 1;
      if (editDistance(token, target, allowed) <= allowed) credit(trigger, 0.8);
    }
  }

  const generalScore = scores.get(GENERAL) ?? 0;
  scores.delete(GENERAL);
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const [best, second] = ranked;
  if (best) {
    const [topic, top] = best;
    const runner = second?.[1] ?? 0;
    const confidence = (top / (top + runner)) * Math.min(1, top / 4);
    return { topic, confidence: round2(confidence), runnerUp: second?.[0] ?? (generalScore > 0 ? GENERAL : null), matched };
  }
  // No specific topic: a technology word or a decision cue makes it a general architecture question.
  const cue = hasDecisionCue(tokens);
  if (generalScore > 0 && (cue || generalScore >= PRODUCT_WEIGHT)) {
    return { topic: GENERAL, confidence: round2(Math.min(0.9, 0.3 + generalScore / 10)), runnerUp: null, matched };
  }
  return { topic: null, confidence: 0, runnerUp: null, matched };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
