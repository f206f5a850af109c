import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as parse } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/consult/assess.js';
import { applicableQuestions, conditionHolds, pruneAnswers } from '../../src/consult/questionnaire.js';
import { KnowledgeError } from '../../src/errors.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { TOPIC_IDS, type Topic } from '../../src/knowledge/schema.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { SEED_SECTIONS } from './seed-sections.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);
const topics = [...kb.topics.values()];

/** Completes a partial answer set with each remaining question's first choice. */
function complete(topic: Topic, partial: Record<string, string>): Record<string, string> {
  let answers = pruneAnswers(topic, partial);
  for (let guard = 0; guard < 20; guard++) {
    const next = applicableQuestions(topic, answers).find((q) => answers[q.id] === undefined);
    if (!next) break;
    answers = { ...answers, [next.id]: next.choices[0]!.id };
  }
  return answers;
}

/** Every string anywhere in a value, for searching an item's text. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every object in the raw YAML that cites a seed section. */
function citing(): Array<{ source: string; text: string; file: string }> {
  const found: Array<{ source: string; text: string; file: string }> = [];
  const files = [...TOPIC_IDS.map((t) => `${t}.yaml`), 'scaling-cliffs.yaml', 'cost-categories.yaml', 'org-limits.yaml'];
  for (const file of files) {
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const obj = node as Record<string, unknown>;
      if (typeof obj.source === 'string') found.push({ source: obj.source, text: strings(obj).join(' '), file });
      Object.values(obj).forEach(walk);
    };
    walk(parse(readFileSync(join(KNOWLEDGE_DIR, file), 'utf8')));
  }
  return found;
}

describe('knowledge base', () => {
  it('loads every topic the product promises', () => {
    expect([...kb.topics.keys()].sort()).toEqual([...TOPIC_IDS].sort());
    expect(kb.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each(topics.map((t) => [t.id, t] as const))('%s: every conditional question is reachable', (_id, topic) => {
    for (const q of topic.questions.filter((x) => x.when)) {
      const partial = Object.fromEntries(Object.entries(q.when!).map(([qid, choices]) => [qid, choices[0]!]));
      const answers = complete(topic, partial);
      expect(conditionHolds(q.when, answers), `${topic.id}/${q.id}`).toBe(true);
      expect(applicableQuestions(topic, answers).map((x) => x.id)).toContain(q.id);
    }
  });

  it.each(topics.map((t) => [t.id, t] as const))('%s: every failure mode can be moved by some answer', (_id, topic) => {
    for (const fm of topic.failureModes) {
      const moved = fm.rules.some((rule) => {
        const answers = complete(topic, Object.fromEntries(Object.entries(rule.when).map(([q, c]) => [q, c[0]!])));
        if (!conditionHolds(rule.when, answers)) return false;
        const p = assess(kb, topic.id, answers, { skipTippingPoints: true }).failureModes.find((f) => f.id === fm.id)!;
        return p.drivers.length > 0 && Math.abs(p.modelProbability - fm.base) > 1e-9;
      });
      expect(moved, `${topic.id}/${fm.id}`).toBe(true);
    }
  });

  it.each(topics.map((t) => [t.id, t] as const))('%s: every question influences something', (_id, topic) => {
    const used = new Set<string>();
    const note = (when?: Record<string, string[]>): void => Object.keys(when ?? {}).forEach((k) => used.add(k));
    topic.failureModes.forEach((f) => f.rules.forEach((r) => note(r.when)));
    topic.cost.components.forEach((c) => c.rules.forEach((r) => note(r.when)));
    topic.time.rules.forEach((r) => note(r.when));
    topic.alternatives.forEach((a) => note(a.bestWhen));
    topic.questions.forEach((q) => note(q.when));
    for (const q of topic.questions) expect(used.has(q.id), `${topic.id}/${q.id}`).toBe(true);
  });

  it.each(topics.map((t) => [t.id, t] as const))('%s: 5 to 8 questions and a heavy-tailed cost', (_id, topic) => {
    expect(topic.questions.length).toBeGreaterThanOrEqual(5);
    expect(topic.questions.length).toBeLessThanOrEqual(8);
    const a = assess(kb, topic.id, complete(topic, {}), { skipTippingPoints: true });
    expect(a.cost.p90 - a.cost.p50).toBeGreaterThan(a.cost.p50 - a.cost.p10);
  });
});

describe('source document coverage', () => {
  const cited = citing();

  it.each(SEED_SECTIONS.map((s) => [s.key, s] as const))('%s is represented', (_key, section) => {
    const items = cited.filter((c) => c.source === section.key);
    expect(items.length, `no knowledge cites ${section.heading}`).toBeGreaterThan(0);
    const text = items.map((i) => i.text).join(' ');
    for (const figure of section.figures) expect(text, `${section.heading} lacks ${figure}`).toContain(figure);
  });

  it('cites only known sections', () => {
    const keys = new Set(SEED_SECTIONS.map((s) => s.key));
    const unknown = cited.filter((c) => !keys.has(c.source)).map((c) => `${c.file}: ${c.source}`);
    expect(unknown).toEqual([]);
  });
});

describe('loader errors', () => {
  function brokenCopy(file: string, edit: (text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), 'rc-kb-'));
    cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
    return dir;
  }

  it.each([
    ['a probability out of range', 'kubernetes.yaml', (t: string) => t.replace('base: 0.45', 'base: 1.45'), /kubernetes\.yaml: field failureModes\.0\.base/],
    ['an unknown question in a rule', 'microservices.yaml', (t: string) => t.replace(/when: \{ ([a-z-]+):/, 'when: { no-such-question:'), /microservices\.yaml: field .*unknown question "no-such-question"/],
    ['invalid YAML', 'zero-trust.yaml', (t: string) => `${t}\n  : : [`, /zero-trust\.yaml: not valid YAML/],
    ['an unknown cliff', 'kubernetes.yaml', (t: string) => t.replace('cliffs: [container-orchestration', 'cliffs: [no-such-cliff'), /kubernetes\.yaml: field cliffs\.0: unknown scaling cliff/],
    ['a synonym group of one word', 'vocabulary.yaml', (t: string) => t.replace('  - [kubernetes, k8s, kube, k8, kubernetes cluster]', '  - [kubernetes]'), /vocabulary\.yaml: field synonyms\.0/],
    ['a vocabulary entry that is not text', 'ml-model-serving.yaml', (t: string) => t.replace('vocabulary:\n', 'vocabulary:\n  - { product: XGBoost }\n'), /ml-model-serving\.yaml: field vocabulary\.0/],
  ])('names the file and field for %s', (_what, file, edit, message) => {
    const dir = brokenCopy(file, edit);
    expect(() => loadKnowledge(dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledge(dir)).toThrow(message);
  });

  it('changes the version when any file changes', () => {
    const dir = brokenCopy('general.yaml', (t) => `${t}\n# edited\n`);
    expect(loadKnowledge(dir).version).not.toBe(kb.version);
  });
});
