// The detection set (test/consult/detection-set.yaml) and the figures `npm run eval:detect` reports on it:
// accuracy, per-topic precision and recall, the confusion matrix, and how often "none" is wrong either way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { z } from 'zod';
import { detect } from '../src/consult/detect.js';
import type { KnowledgeBase } from '../src/knowledge/load.js';
import { PACKAGE_ROOT } from '../src/paths.js';

export const DETECTION_SET_FILE = join(PACKAGE_ROOT, 'test', 'consult', 'detection-set.yaml');
/** "none": not an architecture question. */
export const NONE = 'none';

const entrySchema = z.strictObject({
  half: z.enum(['tune', 'test']),
  source: z.enum(['new', 'legacy']).default('new'),
  topic: z.string().regex(/^[a-z-]+$/),
  text: z.string().min(1),
});
export type DetectionEntry = z.infer<typeof entrySchema>;

export function loadDetectionSet(file = DETECTION_SET_FILE): DetectionEntry[] {
  return z.strictObject({ entries: z.array(entrySchema).min(1) }).parse(parseYaml(readFileSync(file, 'utf8'))).entries;
}

export interface Miss {
  text: string;
  expected: string;
  got: string;
}

export interface DetectionReport {
  n: number;
  accuracy: number;
  /** Architecture questions (a topic expected) answered as "not an architecture question". */
  architectureAsNone: number;
  architectureCount: number;
  /** Non-architecture messages recognised as such. */
  noneRecognised: number;
  noneCount: number;
  perTopic: Array<{ topic: string; precision: number; recall: number; support: number }>;
  /** confusion[expected][got] = count. */
  confusion: Record<string, Record<string, number>>;
  labels: string[];
  misses: Miss[];
}

export function evaluateDetection(kb: KnowledgeBase, entries: readonly DetectionEntry[]): DetectionReport {
  const labels = [...kb.topics.keys(), NONE];
  const confusion: Record<string, Record<string, number>> = Object.fromEntries(labels.map((e) => [e, Object.fromEntries(labels.map((g) => [g, 0]))]));
  const misses: Miss[] = [];
  for (const entry of entries) {
    const got = detect(kb, entry.text).topic ?? NONE;
    confusion[entry.topic]![got]! += 1;
    if (got !== entry.topic) misses.push({ text: entry.text, expected: entry.topic, got });
  }
  const row = (e: string): number => Object.values(confusion[e]!).reduce((s, x) => s + x, 0);
  const column = (g: string): number => labels.reduce((s, e) => s + confusion[e]![g]!, 0);
  const architecture = labels.filter((l) => l !== NONE);
  const architectureCount = architecture.reduce((s, e) => s + row(e), 0);
  const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
  return {
    n: entries.length,
    accuracy: ratio(entries.length - misses.length, entries.length),
    architectureAsNone: ratio(architecture.reduce((s, e) => s + confusion[e]![NONE]!, 0), architectureCount),
    architectureCount,
    noneRecognised: ratio(confusion[NONE]![NONE]!, row(NONE)),
    noneCount: row(NONE),
    perTopic: labels.map((t) => ({ topic: t, precision: ratio(confusion[t]![t]!, column(t)), recall: ratio(confusion[t]![t]!, row(t)), support: row(t) })),
    confusion,
    labels,
    misses,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function formatReport(title: string, r: DetectionReport, showMisses: boolean): string {
  const lines = [
    `${title}: ${r.n} phrasings`,
    `  topic accuracy                     ${pct(r.accuracy)}  (goal ≥ 95%)`,
    `  architecture → "not architecture"  ${pct(r.architectureAsNone)} of ${r.architectureCount}  (goal ≤ 1%)`,
    `  non-architecture recognised        ${pct(r.noneRecognised)} of ${r.noneCount}  (goal ≥ 95%)`,
    '',
    '  topic                  precision  recall  support',
    ...r.perTopic.map((t) => `  ${t.topic.padEnd(22)} ${pct(t.precision).padStart(9)} ${pct(t.recall).padStart(7)} ${String(t.support).padStart(8)}`),
    '',
    '  confusion (rows: expected, columns: detected)',
  ];
  const short = (l: string): string => l.slice(0, 6);
  lines.push(`  ${''.padEnd(22)}${r.labels.map((l) => short(l).padStart(7)).join('')}`);
  for (const e of r.labels) lines.push(`  ${e.padEnd(22)}${r.labels.map((g) => String(r.confusion[e]![g]!).padStart(7)).join('')}`);
  if (showMisses && r.misses.length > 0) {
    lines.push('', '  misses:');
    for (const m of r.misses) lines.push(`    ${m.expected} → ${m.got}: ${m.text.length > 110 ? `${m.text.slice(0, 107)}...` : m.text}`);
  }
  return lines.join('\n');
}
