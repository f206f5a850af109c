// The built CLI learning cost and time from its own outcomes: `ask --json` keeps the knowledge base's
// quantiles under `model` and adds `learned` once outcomes move them, the text verdict says so,
// `resolve --outcomes` takes followedAlternative, and `report --json` names the four success metrics.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { KUBERNETES_ANSWERS } from '../helpers/answers.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

interface Range {
  p10: number;
  p50: number;
  p90: number;
  model: { p10: number; p50: number; p90: number };
  learned?: { factor: number; spread: number; outcomes: number };
}

interface Asked {
  id: string;
  cost: Range;
  time: Range;
  failureModes: Array<{ id: string }>;
}

let dir: string;
let db: string;
let answers: string;

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: db };
  for (const name of ['DATABASE_URL', 'KNOWLEDGE_DIR']) delete env[name];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8', timeout: 20_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(args: string[]): string {
  const r = run(args);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const ask = (): Asked => JSON.parse(ok(['ask', 'should we use kubernetes?', '--topic', 'kubernetes', '--answers', answers, '--json'])) as Asked;

function resolve(id: string, outcome: Record<string, unknown>): void {
  const file = join(dir, `${id}.json`);
  writeFileSync(file, JSON.stringify(outcome));
  ok(['resolve', id, '--outcomes', file]);
}

beforeAll(() => {
  dir = makeTempDir('rc-learning-');
  db = join(dir, 'rc.db');
  answers = join(dir, 'answers.json');
  writeFileSync(answers, JSON.stringify(KUBERNETES_ANSWERS));
});

afterAll(() => removeTempDirs());

describe('learning from outcomes through the CLI', () => {
  let first: Asked;

  it('ask --json: the knowledge base\'s quantiles under model, no learned before outcomes', () => {
    first = ask();
    for (const range of [first.cost, first.time]) {
      expect(range.model).toEqual({ p10: range.p10, p50: range.p50, p90: range.p90 });
      expect(range).not.toHaveProperty('learned');
    }
  });

  it('after projects took twice as long and cost twice as much, the next ask shows learned ranges', () => {
    resolve(first.id, { failureModes: {}, actualCost: first.cost.model.p50 * 2.2, actualMonths: first.time.model.p50 * 2.2, followedAlternative: true });
    for (let i = 0; i < 6; i++) {
      const a = ask();
      const ratio = [1.7, 2.3, 2, 1.9, 2.1, 2][i]!;
      resolve(a.id, {
        failureModes: Object.fromEntries(a.failureModes.map((f) => [f.id, i % 2 === 0])),
        actualCost: a.cost.model.p50 * ratio,
        actualMonths: a.time.model.p50 * ratio,
        followedAlternative: i % 3 === 0,
      });
    }
    const next = ask();
    for (const range of [next.cost, next.time]) {
      expect(range.learned?.outcomes).toBe(7);
      expect(range.learned!.factor).toBeGreaterThan(1.3);
      expect(range.p50).toBeGreaterThan(range.model.p50);
    }
    expect(next.cost.model).toEqual(first.cost.model);
    expect(next.time.model).toEqual(first.time.model);
    const text = ok(['ask', 'should we use kubernetes?', '--topic', 'kubernetes', '--answers', answers]);
    expect(text).toMatch(/adjusted: projects here took [\d.]+× the predicted months, .*7 outcomes \(knowledge base: /);
    expect(text).toMatch(/adjusted: projects here cost [\d.]+× the predicted amount/);
    // Fifteen CLI processes one after another: give a loaded machine room.
  }, 120_000);

  it('report --json keeps its fields and adds the four success metrics by name', () => {
    const report = JSON.parse(ok(['report', '--json'])) as Record<string, unknown> & {
      resolved: number;
      failurePrevention: { alternative: { status: string; followed: { consultations: number }; notFollowed: { consultations: number } }; bySeverity: Array<{ severity: string; resolved: number }> };
      costEstimation: { resolved: number; typicalRatio: number; medianAbsLogError: number; hitRate: number };
      timeToProduction: { resolved: number; medianActualMonths: number; medianPredictedMonths: number };
      predictionAccuracy: { brier: number };
    };
    for (const key of ['resolved', 'brier', 'baselineBrier', 'logScore', 'murphy', 'calibration', 'byTopic', 'byFailureMode', 'byKnowledgeVersion', 'cost', 'time']) expect(report).toHaveProperty(key);
    expect(report.predictionAccuracy.brier).toBe(report.brier);
    expect(report.costEstimation.resolved).toBe(7);
    expect(report.costEstimation.typicalRatio).toBeGreaterThan(1.2);
    expect(report.timeToProduction.medianActualMonths).toBeGreaterThan(report.timeToProduction.medianPredictedMonths);
    expect(report.failurePrevention.alternative.status).toBe('compared');
    // The first consultation (no failure modes answered) followed it, then i = 0 and 3 did; 1, 2, 4, 5 did not.
    expect(report.failurePrevention.alternative.followed.consultations).toBe(2);
    expect(report.failurePrevention.alternative.notFollowed.consultations).toBe(4);
    expect(report.failurePrevention.bySeverity.reduce((n, s) => n + s.resolved, 0)).toBe(report.resolved);
    expect(report.failurePrevention.bySeverity.map((s) => s.severity)).not.toContain('unknown');

    const text = ok(['report']);
    for (const name of ['Prediction accuracy:', 'Cost estimation:', 'Failure prevention:', 'Failure prevention, suggested alternative:', 'Time to production:']) expect(text).toContain(name);
  });

  it('resolve --outcomes refuses a followedAlternative that is not true, false or null', () => {
    const a = ask();
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ failureModes: {}, followedAlternative: 'yes' }));
    const r = run(['resolve', a.id, '--outcomes', file]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('followedAlternative');
  });
});
