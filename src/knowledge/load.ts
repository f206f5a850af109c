// Reads knowledge/*.yaml, validates every file with zod and checks cross-references, so the engine
// only ever sees a consistent knowledge base. The content hash versions every consultation.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import type { z } from 'zod';
import { KnowledgeError } from '../errors.js';
import {
  cliffCatalogueSchema,
  costCategoryCatalogueSchema,
  orgLimitCatalogueSchema,
  TOPIC_IDS,
  topicSchema,
  type CliffCatalogue,
  type Condition,
  type CostCategoryCatalogue,
  type OrgLimitCatalogue,
  type Topic,
  type VocabularyCatalogue,
  vocabularyCatalogueSchema,
} from './schema.js';

export interface KnowledgeBase {
  topics: ReadonlyMap<string, Topic>;
  cliffs: CliffCatalogue['cliffs'];
  costCategories: CostCategoryCatalogue;
  orgLimits: OrgLimitCatalogue['limits'];
  /** Synonyms, decision cues and chatter: the shared language detection reads questions with. */
  vocabulary: VocabularyCatalogue;
  /** sha256 over every file's name and bytes, in name order: the knowledge base version. */
  version: string;
}

const CATALOGUES = {
  'scaling-cliffs': cliffCatalogueSchema,
  'cost-categories': costCategoryCatalogueSchema,
  'org-limits': orgLimitCatalogueSchema,
  vocabulary: vocabularyCatalogueSchema,
} as const;

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  return `field ${path}: ${issue.message}`;
}

function parseFile<T>(file: string, text: string, schema: z.ZodType<T>): T {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new KnowledgeError(file, `not valid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 3).map(describeIssue).join('; ');
    throw new KnowledgeError(file, issues, { cause: result.error });
  }
  return result.data;
}

interface KnowledgeFile {
  name: string;
  text: string;
}

function readKnowledgeFiles(dir: string): { files: KnowledgeFile[]; version: string } {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
  } catch (error) {
    throw new KnowledgeError(dir, 'knowledge directory cannot be read', { cause: error });
  }
  const hash = createHash('sha256');
  const files = names.map((name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    hash.update(name).update('\0').update(text).update('\0');
    return { name, text };
  });
  return { files, version: hash.digest('hex').slice(0, 16) };
}

export interface LoadOptions {
  /**
   * A snapshot written by `writeKnowledgeSnapshot` at build time. It is used only when it was taken of
   * exactly these files (same version hash); otherwise every file is parsed and validated as usual.
   */
  snapshot?: string;
}

export function loadKnowledge(dir: string, options: LoadOptions = {}): KnowledgeBase {
  const { files, version } = readKnowledgeFiles(dir);
  const fromSnapshot = options.snapshot ? readSnapshot(options.snapshot, version) : null;
  if (fromSnapshot) return fromSnapshot;

  const topics = new Map<string, Topic>();
  const catalogues: Partial<{ [K in keyof typeof CATALOGUES]: z.infer<(typeof CATALOGUES)[K]> }> = {};
  for (const { name, text } of files) {
    const path = join(dir, name);
    const stem = basename(name).replace(/\.ya?ml$/, '');
    if (stem in CATALOGUES) {
      const key = stem as keyof typeof CATALOGUES;
      (catalogues as Record<string, unknown>)[key] = parseFile(path, text, CATALOGUES[key] as z.ZodType<unknown>);
      continue;
    }
    const topic = parseFile(path, text, topicSchema);
    if (topic.id !== stem) throw new KnowledgeError(path, `field id: "${topic.id}" must match the file name "${stem}"`);
    topics.set(topic.id, topic);
  }

  for (const key of Object.keys(CATALOGUES)) {
    if (!(key in catalogues)) throw new KnowledgeError(join(dir, `${key}.yaml`), 'file is missing');
  }
  const kb: KnowledgeBase = {
    topics,
    cliffs: catalogues['scaling-cliffs']!.cliffs,
    costCategories: catalogues['cost-categories']!,
    orgLimits: catalogues['org-limits']!.limits,
    vocabulary: catalogues.vocabulary!,
    version,
  };
  for (const topic of topics.values()) checkReferences(join(dir, `${topic.id}.yaml`), topic, kb);
  for (const id of TOPIC_IDS) {
    if (!topics.has(id)) throw new KnowledgeError(join(dir, `${id}.yaml`), 'topic file is missing');
  }
  return kb;
}

// ---- Build-time snapshot: the validated knowledge base as JSON, keyed by the version hash ------------
// Parsing the YAML and validating it is most of the knowledge base's share of the server's start-up.
// The snapshot is written by the build (tools/bundle.ts) from a fully validated load, in the same dist/
// as the code that reads it; a snapshot of other files, of an older format, or unreadable, is ignored.

const SNAPSHOT_FORMAT = 2;

interface Snapshot {
  format: number;
  version: string;
  topics: Topic[];
  cliffs: KnowledgeBase['cliffs'];
  costCategories: KnowledgeBase['costCategories'];
  orgLimits: KnowledgeBase['orgLimits'];
  vocabulary: KnowledgeBase['vocabulary'];
}

export function writeKnowledgeSnapshot(kb: KnowledgeBase, file: string): void {
  const snapshot: Snapshot = { format: SNAPSHOT_FORMAT, version: kb.version, topics: [...kb.topics.values()], cliffs: kb.cliffs, costCategories: kb.costCategories, orgLimits: kb.orgLimits, vocabulary: kb.vocabulary };
  writeFileSync(file, JSON.stringify(snapshot));
}

function readSnapshot(file: string, version: string): KnowledgeBase | null {
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  } catch {
    return null;
  }
  if (snapshot?.format !== SNAPSHOT_FORMAT || snapshot.version !== version || !Array.isArray(snapshot.topics)) return null;
  return {
    topics: new Map(snapshot.topics.map((t) => [t.id, t])),
    cliffs: snapshot.cliffs,
    costCategories: snapshot.costCategories,
    orgLimits: snapshot.orgLimits,
    vocabulary: snapshot.vocabulary,
    version,
  };
}

/** Cross-file and within-file consistency a schema cannot express. */
function checkReferences(file: string, topic: Topic, kb: KnowledgeBase): void {
  const fail = (field: string, message: string): never => {
    throw new KnowledgeError(file, `field ${field}: ${message}`);
  };
  const unique = (field: string, ids: string[]): void => {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) fail(field, `duplicate id "${id}"`);
      seen.add(id);
    }
  };
  unique('questions', topic.questions.map((q) => q.id));
  unique('failureModes', topic.failureModes.map((f) => f.id));
  unique('cost.components', topic.cost.components.map((c) => c.id));
  unique('alternatives', topic.alternatives.map((a) => a.id));

  const questions = new Map(topic.questions.map((q, i) => [q.id, { q, i }]));
  const checkCondition = (field: string, condition: Condition, before?: number): void => {
    for (const [questionId, choiceIds] of Object.entries(condition)) {
      const entry = questions.get(questionId);
      if (!entry) return fail(field, `unknown question "${questionId}"`);
      if (before !== undefined && entry.i >= before) fail(field, `question "${questionId}" must be asked earlier`);
      for (const choiceId of choiceIds) {
        if (!entry.q.choices.some((c) => c.id === choiceId)) fail(field, `question "${questionId}" has no choice "${choiceId}"`);
      }
    }
  };
  topic.questions.forEach((q, i) => {
    unique(`questions.${i}.choices`, q.choices.map((c) => c.id));
    if (q.when) checkCondition(`questions.${i}.when`, q.when, i);
  });
  topic.failureModes.forEach((f, i) => f.rules.forEach((r, j) => checkCondition(`failureModes.${i}.rules.${j}.when`, r.when)));
  topic.cost.components.forEach((c, i) => {
    c.rules.forEach((r, j) => checkCondition(`cost.components.${i}.rules.${j}.when`, r.when));
    if (!kb.costCategories.categories.some((cat) => cat.id === c.category)) {
      fail(`cost.components.${i}.category`, `unknown cost category "${c.category}"`);
    }
  });
  topic.time.rules.forEach((r, j) => checkCondition(`time.rules.${j}.when`, r.when));
  topic.alternatives.forEach((a, i) => a.bestWhen && checkCondition(`alternatives.${i}.bestWhen`, a.bestWhen));
  topic.cliffs.forEach((id, i) => {
    if (!kb.cliffs.some((c) => c.id === id)) fail(`cliffs.${i}`, `unknown scaling cliff "${id}"`);
  });
  topic.orgLimits.forEach((id, i) => {
    if (!kb.orgLimits.some((l) => l.id === id)) fail(`orgLimits.${i}`, `unknown organisational limit "${id}"`);
  });
}
