// How detection reads text, the knowledge's and a question's alike: Slack and Teams markup removed, words
// lower-cased, stemmed (Porter, by the stemmer package) and synonyms folded into one form from the knowledge.
import { stemmer } from 'stemmer';

/** One word of a text: as written (lower case) and as detection compares it. */
export interface Word {
  raw: string;
  stem: string;
}

/** English words that carry no topic: dropped before scoring and from the unmatched terms. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  ('a about above after again all also am an and any anyone are as at be been before being below between both but by can could did do does doing done ' +
    'down during each else even ever every few for from further get gets getting go going got had has have having he her here hers him his how i if ' +
    'im in into is isnt it its itll just know let lets like lol me might more most much must my need needs no nor not now of off on once one only or ' +
    'other our ours out over own pls please quick really right same say she should so some someone something still such sure than that thats the their ' +
    'them then there these they thing things think this those though through to too under until up us very via want wants was we were what whats when ' +
    'where which while who whos why will with would yes yet you your youre ok okay hey hi hello thanks thank ty thx yeah yep nope also anyway actually ' +
    'basically probably maybe guys folks team teams people everyone all us today tomorrow week month year years months weeks day days time times way ' +
    'lot lots bit kind sort use using used new old good bad best better big small next last first etc e.g i.e vs versus')
    .split(' '),
);

/** Markup that is not words: Slack mentions, channel and link markup, URLs, emoji codes, code fences. */
export function stripMarkup(text: string): string {
  return text
    .replace(/<(?:[@#!])[^>|]*(?:\|([^>]*))?>/g, ' $1 ')
    .replace(/<(?:https?|mailto):[^>|]*(?:\|([^>]*))?>/g, ' $1 ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/:[a-z0-9_+-]+:/g, ' ')
    .replace(/`+/g, ' ');
}

/** Lower-cased words; dotted and symbol-bearing names (node.js, c#, c++) stay whole, apostrophes vanish. */
export function tokenize(text: string): string[] {
  return stripMarkup(text)
    .toLowerCase()
    .replace(/[\u2019']/g, '')
    .split(/[^a-z0-9.+#]+/)
    .map((t) => t.replace(/^[.]+|[.]+$/g, ''))
    .filter((t) => t.length > 0);
}

const stems = new Map<string, string>();
const MAX_CACHED_STEMS = 20_000;

/** Porter stem for plain words; names with digits or symbols (k8s, h100, node.js) are compared as written. */
export function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = /^[a-z]+$/.test(word) ? stemmer(word) : word;
    // Words repeat (the knowledge's own, and questions'): a bounded cache, emptied when full.
    if (stems.size >= MAX_CACHED_STEMS) stems.clear();
    stems.set(word, s);
  }
  return s;
}

interface Rule {
  from: string[];
  to: string[];
}

/**
 * Folds every synonym of a group into the group's first form, as stems: "mutual tls" → "mtls",
 * "partitioning" → "shard". The longest match wins at each position.
 */
export class SynonymFolder {
  private readonly rules = new Map<string, Rule[]>();

  constructor(groups: ReadonlyArray<ReadonlyArray<string>>) {
    for (const group of groups) {
      const to = tokenize(group[0]!).map(stem);
      for (const variant of group.slice(1)) {
        const from = tokenize(variant).map(stem);
        if (from.length === 0 || from.join(' ') === to.join(' ')) continue;
        const list = this.rules.get(from[0]!) ?? [];
        list.push({ from, to });
        list.sort((a, b) => b.from.length - a.from.length);
        this.rules.set(from[0]!, list);
      }
    }
  }

  fold(words: Word[]): Word[] {
    const out: Word[] = [];
    for (let i = 0; i < words.length; ) {
      const rule = this.rules.get(words[i]!.stem)?.find((r) => r.from.every((s, k) => words[i + k]?.stem === s));
      if (!rule) {
        out.push(words[i]!);
        i += 1;
        continue;
      }
      const raw = words.slice(i, i + rule.from.length).map((w) => w.raw).join(' ');
      for (const s of rule.to) out.push({ raw, stem: s });
      i += rule.from.length;
    }
    return out;
  }
}

/** Words of a text, stemmed and folded: what both the index and a question are made of. */
export function readWords(text: string, folder: SynonymFolder): Word[] {
  return folder.fold(tokenize(text).map((raw) => ({ raw, stem: stem(raw) })));
}

/** Whether `phrase` (stems) occurs in `stems` starting at `at`. */
export function phraseAt(stems: readonly string[], at: number, phrase: readonly string[]): boolean {
  if (at + phrase.length > stems.length) return false;
  for (let k = 0; k < phrase.length; k++) if (stems[at + k] !== phrase[k]) return false;
  return true;
}
