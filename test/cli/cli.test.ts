// The built CLI, spawned as a user would run it, against real SQLite files in temp dirs: JSON output
// shapes, a consultation from `ask` through `resolve` to `report`, database path selection, and
// one-line errors with a non-zero exit and no stack trace. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR, PACKAGE_ROOT, SQLITE_MIGRATIONS } from '../../src/paths.js';
import { readDatabase } from '../helpers/db.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  db?: string | null;
  input?: string;
  cwd?: string;
}

/** Runs the CLI with DATABASE_PATH = options.db ('' and null mean set-empty and unset). */
function run(args: string[], options: RunOptions = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KNOWLEDGE_DIR;
  delete env.DATABASE_PATH;
  // DATABASE_URL would select PostgreSQL (and, with DATABASE_PATH, be refused): these runs are on SQLite files.
  delete env.DATABASE_URL;
  if (options.db !== undefined && options.db !== null) env.DATABASE_PATH = options.db;
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? PACKAGE_ROOT,
    env,
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function json<T = any>(r: Run): T {
  expect(r.stderr, r.stderr).not.toMatch(/^\s+at /m);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** A mistake a person can fix: one line on stderr, nothing on stdout, non-zero exit, no stack. */
function expectOneLineError(r: Run): string {
  expect(r.status).not.toBe(0);
  expect(r.status).not.toBeNull();
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^reality-check: \S/);
  expect(r.stderr).not.toMatch(/^\s*at /m);
  expect(r.stderr).not.toContain('unexpected error');
  return lines[0]!;
}

interface QuestionsJson {
  topic: string;
  questions: Array<{ id: string; text: string; when?: Record<string, string[]>; choices: Array<{ id: string; label: string }> }>;
}

interface AskJson {
  id: string;
  topic: string;
  verdict: string;
  answers: Record<string, string>;
  knowledgeVersion: string;
  failureModes: Array<{ id: string; probability: number }>;
  cost: { p10: number; p50: number; p90: number };
  time: { p10: number; p50: number; p90: number };
}

interface ListJson {
  id: string;
  workspace: string;
  question: string;
  topic: string;
  verdict: string;
  knowledgeVersion: string;
  predictions: Array<{ failureMode: string; probability: number; happened: boolean | null }>;
  estimates: Array<{ kind: 'cost' | 'time'; p10: number; p50: number; p90: number; unit: string; actual: number | null }>;
}

/**
 * Answers for every question that applies, following each question's `when` as the CLI prints it.
 * Choices vary by position; a third are written as JSON numbers and a third as numeric strings,
 * both 1-based, to prove numbers are accepted. Returns the file content and the choice ids expected.
 */
function buildAnswers(q: QuestionsJson): { file: Record<string, string | number>; expected: Record<string, string> } {
  const file: Record<string, string | number> = {};
  const expected: Record<string, string> = {};
  q.questions.forEach((question, i) => {
    const applies = Object.entries(question.when ?? {}).every(([id, choices]) => expected[id] !== undefined && choices.includes(expected[id]!));
    if (!applies) return;
    const index = i % question.choices.length;
    expected[question.id] = question.choices[index]!.id;
    file[question.id] = i % 3 === 0 ? index + 1 : i % 3 === 1 ? String(index + 1) : question.choices[index]!.id;
  });
  return { file, expected };
}

const QUESTION = 'Should we move our services to Kubernetes on EKS?';
let questions: QuestionsJson;
let answers: { file: Record<string, string | number>; expected: Record<string, string> };

function ask(dir: string, db: string, extra: string[] = []): AskJson {
  const answersPath = join(dir, 'answers.json');
  writeFileSync(answersPath, JSON.stringify(answers.file));
  return json<AskJson>(run(['ask', QUESTION, '--answers', answersPath, '--json', ...extra], { db }));
}

beforeAll(() => {
  if (!existsSync(CLI)) {
    const build = spawnSync('npx', ['tsc', '-p', '.'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  }
  questions = json<QuestionsJson>(run(['questions', 'kubernetes', '--json']));
  answers = buildAnswers(questions);
}, 120_000);

afterAll(() => removeTempDirs());

describe('detect', () => {
  it('prints only the JSON detection for a question', () => {
    const r = run(['detect', 'thinking of moving to EKS', '--json']);
    const out = json<{ topic: string | null; confidence: number; runnerUp: string | null }>(r);
    expect(out.topic).toBe('kubernetes');
    expect(out.confidence).toBeGreaterThan(0);
    expect(out.confidence).toBeLessThanOrEqual(1);
    expect(r.stdout).toBe(`${JSON.stringify(out)}\n`);
  });

  it('adds up to three candidates, and says when it is unsure', () => {
    const out = json<{ topic: string; unsure: boolean; candidates: Array<{ topic: string; score: number }> }>(
      run(['detect', 'is it worth adding mutual TLS to internal gRPC calls', '--json']),
    );
    expect(out.topic).toBe('zero-trust');
    expect(out.unsure).toBe(true);
    expect(out.candidates.length).toBeLessThanOrEqual(3);
    expect(out.candidates.slice(0, 2).map((c) => c.topic)).toEqual(['zero-trust', 'microservices']);
    expect(out.candidates[0]!.score).toBeGreaterThan(0);
    expect(out.candidates[0]!.score).toBeLessThanOrEqual(1);
  });

  it('with no text reads stdin and prints one JSON line per non-blank line', () => {
    const lines = ['thinking of moving to EKS', 'should we split the monolith into microservices?', 'we want to run Kubernetes ourselves'];
    const r = run(['detect'], { input: `${lines[0]}\n\n${lines[1]}\r\n   \n${lines[2]}\n` });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(3);
    const parsed = out.map((line) => JSON.parse(line) as { topic: string | null });
    expect(parsed.map((p) => p.topic)).toEqual(['kubernetes', 'microservices', 'kubernetes']);
    // Each line is the same detection the single-question form gives.
    lines.forEach((line, i) => expect(out[i]).toBe(run(['detect', line, '--json']).stdout.trimEnd()));
  });
});

describe('questions', () => {
  it('--json prints the topic and its questions with choices', () => {
    expect(questions.topic).toBe('kubernetes');
    expect(questions.questions.length).toBeGreaterThan(0);
    for (const q of questions.questions) {
      expect(typeof q.id).toBe('string');
      expect(q.text.length).toBeGreaterThan(0);
      expect(q.choices.length).toBeGreaterThan(1);
      for (const c of q.choices) expect(Object.keys(c).sort()).toEqual(['id', 'label']);
    }
    const ids = questions.questions.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the answers built from it use numbers', () => {
    expect(Object.values(answers.file).some((v) => typeof v === 'number')).toBe(true);
    expect(Object.values(answers.file).some((v) => typeof v === 'string' && /^\d+$/.test(v))).toBe(true);
  });
});

describe('a consultation from ask to export', () => {
  let dir: string;
  let db: string;
  let asked: AskJson;

  beforeAll(() => {
    dir = makeTempDir();
    db = join(dir, 'rc.db');
    asked = ask(dir, db);
  });

  it('ask --answers --json prints the assessment with its id', () => {
    expect(asked.id).toMatch(/^rc-[0-9a-z]{14}$/);
    expect(asked.topic).toBe('kubernetes');
    expect(['adopt', 'adopt-with-guardrails', 'not-yet']).toContain(asked.verdict);
    expect(asked.answers).toEqual(answers.expected);
    expect(asked.failureModes.length).toBeGreaterThanOrEqual(3);
    for (const f of asked.failureModes) {
      expect(typeof f.id).toBe('string');
      expect(f.probability).toBeGreaterThan(0);
      expect(f.probability).toBeLessThan(1);
    }
    for (const range of [asked.cost, asked.time]) {
      expect(range.p10).toBeGreaterThan(0);
      expect(range.p10).toBeLessThanOrEqual(range.p50);
      expect(range.p50).toBeLessThanOrEqual(range.p90);
    }
  });

  it('list --json shows it with its predictions and estimates', () => {
    const rows = json<ListJson[]>(run(['list', '--json'], { db }));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ id: asked.id, workspace: 'cli', question: QUESTION, topic: 'kubernetes', verdict: asked.verdict, knowledgeVersion: asked.knowledgeVersion });
    expect(row.predictions.map((p) => [p.failureMode, p.probability, p.happened]).sort()).toEqual(
      asked.failureModes.map((f) => [f.id, f.probability, null]).sort(),
    );
    const byKind = Object.fromEntries(row.estimates.map((e) => [e.kind, e]));
    expect(byKind.cost).toMatchObject({ p10: asked.cost.p10, p50: asked.cost.p50, p90: asked.cost.p90, unit: 'USD', actual: null });
    expect(byKind.time).toMatchObject({ p10: asked.time.p10, p50: asked.time.p50, p90: asked.time.p90, unit: 'months', actual: null });
  });

  it('show prints the question first', () => {
    const r = run(['show', asked.id], { db });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(QUESTION);
    expect(r.stdout.length).toBeGreaterThan(QUESTION.length + 50);
  });

  it('export adr prints MADR markdown', () => {
    const r = run(['export', 'adr', asked.id], { db });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.startsWith('---\n')).toBe(true);
    expect(r.stdout).toContain('## Decision Outcome');
    expect(r.stdout).toContain(asked.id);
  });

  it('export with an unknown format is a one-line error', () => {
    expect(expectOneLineError(run(['export', 'pdf', asked.id], { db }))).toContain('pdf');
  });
});

describe('resolve and report', () => {
  it('report scores exactly the failure modes marked true or false, with the Brier score of their probabilities', () => {
    const dir = makeTempDir();
    const db = join(dir, 'rc.db');
    const { id } = ask(dir, db);
    const before = json<ListJson[]>(run(['list', '--json'], { db }))[0]!;
    const [a, b, c, d] = before.predictions;
    const marked: Record<string, boolean | null> = { [a!.failureMode]: true, [b!.failureMode]: false, [c!.failureMode]: false, [d!.failureMode]: null };
    const outcomesPath = join(dir, 'outcomes.json');
    writeFileSync(outcomesPath, JSON.stringify({ failureModes: marked, actualCost: 123_456 }));

    const resolved = run(['resolve', id, '--outcomes', outcomesPath], { db });
    expect(resolved.status, resolved.stderr).toBe(0);
    expect(resolved.stderr).toContain('3 failure-mode predictions resolved');

    const after = json<ListJson[]>(run(['list', '--json'], { db }))[0]!;
    const happened = Object.fromEntries(after.predictions.map((p) => [p.failureMode, p.happened]));
    expect(happened[a!.failureMode]).toBe(true);
    expect(happened[b!.failureMode]).toBe(false);
    expect(happened[d!.failureMode]).toBeNull();
    expect(after.estimates.find((e) => e.kind === 'cost')!.actual).toBe(123_456);

    const scored = before.predictions.filter((p) => typeof marked[p.failureMode] === 'boolean');
    const brier = scored.reduce((sum, p) => sum + (p.probability - (marked[p.failureMode] ? 1 : 0)) ** 2, 0) / scored.length;
    const report = json<{ resolved: number; brier: number }>(run(['report', '--json'], { db }));
    expect(report.resolved).toBe(3);
    expect(report.brier).toBeCloseTo(brier, 12);
  });

  it('report on an empty database has nothing resolved', () => {
    const report = json<{ resolved: number; brier: number | null }>(run(['report', '--json'], { db: join(makeTempDir(), 'rc.db') }));
    expect(report.resolved).toBe(0);
    expect(report.brier).toBeNull();
  });

  it('resolve with an unknown failure mode is a one-line error and records nothing', () => {
    const dir = makeTempDir();
    const db = join(dir, 'rc.db');
    const { id } = ask(dir, db);
    const outcomesPath = join(dir, 'outcomes.json');
    writeFileSync(outcomesPath, JSON.stringify({ failureModes: { 'no-such-mode': true } }));
    expect(expectOneLineError(run(['resolve', id, '--outcomes', outcomesPath], { db }))).toContain('no-such-mode');
    expect(json<{ resolved: number }>(run(['report', '--json'], { db })).resolved).toBe(0);
  });
});

describe('which database', () => {
  it('--db overrides DATABASE_PATH', () => {
    const dir = makeTempDir();
    const fromEnv = join(dir, 'env.db');
    const fromOption = join(dir, 'option.db');
    const { id } = ask(dir, fromEnv, []);
    expect(existsSync(fromEnv)).toBe(true);

    const viaOption = json<ListJson[]>(run(['--db', fromOption, 'list', '--json'], { db: fromEnv }));
    expect(viaOption).toEqual([]);
    expect(existsSync(fromOption)).toBe(true);
    expect(json<ListJson[]>(run(['list', '--json'], { db: fromEnv })).map((r) => r.id)).toEqual([id]);
  });

  it('DATABASE_PATH="" counts as unset: ./data/reality-check.db under the working directory', () => {
    const cwd = makeTempDir();
    const r = run(['db', 'migrate'], { db: '', cwd });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/^\s*at /m);
    expect(existsSync(join(cwd, 'data', 'reality-check.db'))).toBe(true);
  });

  it('db migrate on a fresh path applies 0001, then finds it up to date', () => {
    const db = join(makeTempDir(), 'nested', 'fresh.db');
    const first = run(['db', 'migrate'], { db });
    expect(first.status, first.stderr).toBe(0);
    // It says how many it applied (every migration, on a fresh file), and 0001 is recorded as applied.
    const all = readdirSync(SQLITE_MIGRATIONS).filter((f) => f.endsWith('.sql'));
    expect(first.stderr).toContain(`applied ${all.length} migration${all.length === 1 ? '' : 's'} to ${db}`);
    expect(existsSync(db)).toBe(true);
    const applied = readDatabase(db, (d) => (d.prepare('SELECT name FROM schema_migrations ORDER BY version').all() as Array<{ name: string }>).map((r) => r.name));
    expect(applied[0]).toBe('0001_initial');
    expect(applied).toEqual(all.map((f) => f.replace(/\.sql$/, '')));
    const second = run(['db', 'migrate'], { db });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toContain('up to date');
  });
});

describe('mistakes print one line, exit non-zero and show no stack trace', () => {
  it('unknown topic', () => {
    expect(expectOneLineError(run(['questions', 'nope']))).toContain('"nope"');
  });

  it('missing answers file', () => {
    const dir = makeTempDir();
    const missing = join(dir, 'no-such-answers.json');
    const line = expectOneLineError(run(['ask', QUESTION, '--answers', missing, '--json'], { db: join(dir, 'rc.db') }));
    expect(line).toContain(missing);
  });

  it('answers file that is not JSON', () => {
    const dir = makeTempDir();
    const path = join(dir, 'answers.json');
    writeFileSync(path, '{ not json');
    expect(expectOneLineError(run(['ask', QUESTION, '--answers', path], { db: join(dir, 'rc.db') }))).toContain('not valid JSON');
  });

  it('bad answer id in the answers file, and nothing is stored', () => {
    const dir = makeTempDir();
    const db = join(dir, 'rc.db');
    const first = questions.questions[0]!;
    const path = join(dir, 'answers.json');
    writeFileSync(path, JSON.stringify({ ...answers.file, [first.id]: 'not-a-real-choice' }));
    const line = expectOneLineError(run(['ask', QUESTION, '--answers', path, '--json'], { db }));
    expect(line).toContain('not-a-real-choice');
    expect(line).toContain(first.text);
    expect(json<unknown[]>(run(['list', '--json'], { db }))).toEqual([]);
  });

  it('unknown consultation id for show', () => {
    const line = expectOneLineError(run(['show', 'rc-doesnotexist'], { db: join(makeTempDir(), 'rc.db') }));
    expect(line).toContain('rc-doesnotexist');
  });

  it('an invalid --limit', () => {
    expect(expectOneLineError(run(['list', '--limit', 'lots'], { db: join(makeTempDir(), 'rc.db') }))).toContain('--limit');
  });
});

describe('kb lint', () => {
  it('exits 0 on the real knowledge directory', () => {
    const r = run(['kb', 'lint']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('knowledge ok');
  });

  // Text edits (no YAML library) so the test breaks the file the way a person would.
  it.each([
    { name: 'a top-level field of the wrong type', field: 'title', find: /^title: .*$/m, replace: 'title: 42' },
    { name: 'a nested probability out of range', field: 'failureModes.0.base', find: /^(\s+)base: [0-9.]+$/m, replace: '$1base: 1.5' },
  ])('names the broken file and field: $name', ({ field, find, replace }) => {
    const dir = join(makeTempDir(), 'knowledge');
    cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
    const file = join(dir, 'microservices.yaml');
    const original = readFileSync(file, 'utf8');
    const broken = original.replace(find, replace);
    expect(broken).not.toBe(original);
    writeFileSync(file, broken);

    const line = expectOneLineError(run(['kb', 'lint', '--dir', dir]));
    expect(line).toContain('microservices.yaml');
    expect(line).toContain(`field ${field}`);
  });
});
