// War stories from the terminal, through the built CLI on each engine: `resolve --outcomes` records a
// story ("story", "private"), `ask` shows the workspace's record (text and `--json` history) in the
// same workspace only, `history` searches questions and non-private stories, and `export adr` carries
// the section with the story escaped. `npm test` builds dist/ first.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { KUBERNETES_ANSWERS } from '../helpers/answers.js';
import { createTestDatabase, pgAvailable, type TestDatabase } from '../helpers/postgres.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const postgres = await pgAvailable();
const engines: Array<[string, () => Promise<{ db: string; done(): Promise<void> }>]> = [
  ['SQLite', async () => ({ db: join(makeTempDir('rc-cli-history-'), 'rc.db'), done: async () => undefined })],
];
if (postgres) {
  engines.push(['PostgreSQL', async () => {
    const database: TestDatabase = await createTestDatabase();
    return { db: database.url, done: () => database.drop() };
  }]);
}

describe.each(engines)('the CLI: stories and history (%s)', (_engine, open) => {
  let db = '';
  let done: () => Promise<void>;
  let dir = '';
  let first = '';

  const run = (args: string[]): Run => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['DATABASE_PATH', 'DATABASE_URL', 'KNOWLEDGE_DIR']) delete env[name];
    const r = spawnSync(process.execPath, [CLI, '--db', db, ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8', timeout: 30_000 });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok = (args: string[]): string => {
    const r = run(args);
    expect(r.status, r.stderr).toBe(0);
    return r.stdout;
  };
  const file = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const ask = (workspace: string, question = 'should we use kubernetes?') =>
    JSON.parse(ok(['ask', question, '--answers', join(dir, 'answers.json'), '--json', '--workspace', workspace])) as { id: string; failureModes: Array<{ id: string }>; history: unknown };

  beforeAll(async () => {
    ({ db, done } = await open());
    dir = makeTempDir('rc-cli-history-files-');
    writeFileSync(join(dir, 'answers.json'), JSON.stringify(KUBERNETES_ANSWERS));
  }, 60_000);
  afterAll(async () => {
    await done();
    removeTempDirs();
  });

  it('ask --json has history: null before anyone asked; resolve --outcomes takes "story" and "private"', () => {
    const c = ask('W1', 'should we move payments to kubernetes?');
    first = c.id;
    expect(c.history).toBeNull();
    const outcomes = file('outcomes.json', {
      failureModes: { [c.failureModes[0]!.id]: true, [c.failureModes[1]!.id]: false },
      actualCost: 240_000,
      actualMonths: 9,
      story: 'Networking incidents twice <script>x</script>; the **migration** took long.',
      private: false,
    });
    const r = run(['resolve', first, '--outcomes', outcomes]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('the next ask in the workspace carries it as history, quoted and counted; another workspace has none', () => {
    const next = ask('W1');
    expect(next.history).toStrictEqual({
      consultations: 1,
      resolved: 1,
      failureModes: expect.arrayContaining([{ id: next.failureModes[0]!.id, happened: 1, resolved: 1 }]),
      stories: [{ consultationId: first, text: 'Networking incidents twice <script>x</script>; the **migration** took long.', recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }],
      costRatio: expect.any(Number),
      timeRatio: expect.any(Number),
    });
    expect(ask('W2').history).toBeNull();

    const text = ok(['ask', 'do we need kubernetes?', '--answers', join(dir, 'answers.json'), '--workspace', 'W1']);
    expect(text).toContain('In this workspace:');
    expect(text).toContain('2 earlier consultations on Kubernetes and container orchestration here');
    expect(text).toContain('> “Networking incidents twice <script>x</script>; the **migration** took long.”');
  });

  it('a private story is counted but never quoted, and its words are not searchable', () => {
    const c = ask('W1');
    const r = run(['resolve', c.id, '--outcomes', file('private.json', { failureModes: {}, story: 'The cluster ate our weekend', private: true })]);
    expect(r.status, r.stderr).toBe(0);
    const next = ask('W1');
    expect(JSON.stringify(next)).not.toContain('weekend');
    expect((next.history as { resolved: number }).resolved).toBe(2);
    expect(ok(['history', 'weekend', '--workspace', 'W1'])).toBe('No consultations found.\n');
    const listed = JSON.parse(ok(['history', '--workspace', 'W1', '--json', '--limit', '20'])) as Array<{ id: string; story: { text: string | null; private: boolean } | null }>;
    expect(listed.find((d) => d.id === c.id)!.story).toMatchObject({ text: null, private: true });
    // "private" alone re-flags the note kept; then it is searchable.
    expect(run(['resolve', c.id, '--outcomes', file('public.json', { failureModes: {}, private: false })]).status).toBe(0);
    expect(ok(['history', 'weekend', '--workspace', 'W1'])).toContain(c.id);
    expect(run(['resolve', c.id, '--outcomes', file('remove.json', { failureModes: {}, story: null })]).status).toBe(0);
    expect(ok(['history', 'weekend', '--workspace', 'W1'])).toBe('No consultations found.\n');
  });

  it('history ranks matches, filters by topic, stays in its workspace, and refuses what it cannot do', () => {
    const found = ok(['history', 'networking', 'incidents', '--workspace', 'W1']);
    expect(found.split('\n')[0]).toMatch(new RegExp(`^${first}  \\d{4}-\\d\\d-\\d\\d  Kubernetes and container orchestration  Not yet — 2 of \\d+ failure modes answered; happened: `));
    expect(found).toContain('cost $240K (predicted');
    expect(found).toContain('> “Networking incidents twice <script>x</script>; the **migration** took long.”');
    expect(ok(['history', 'payments', '--workspace', 'W1', '--topic', 'kubernetes'])).toContain(first);
    expect(ok(['history', 'payments', '--workspace', 'W1', '--topic', 'microservices'])).toBe('No consultations found.\n');
    expect(ok(['history', 'networking', '--workspace', 'W2'])).toBe('No consultations found.\n');
    const json = JSON.parse(ok(['history', 'networking', '--workspace', 'W1', '--json'])) as Array<Record<string, unknown>>;
    expect(json[0]).toMatchObject({ id: first, topic: 'kubernetes', verdict: expect.any(String), notAdopted: false, link: null, story: { private: false, text: expect.stringContaining('Networking') } });
    const badTopic = run(['history', 'x', '--topic', 'nope']);
    expect(badTopic.status).toBe(1);
    expect(badTopic.stderr).toMatch(/^reality-check: Unknown topic "nope"/);
    const tooLong = run(['resolve', first, '--outcomes', file('long.json', { failureModes: {}, story: 'x'.repeat(1001) })]);
    expect(tooLong.status).toBe(1);
    expect(tooLong.stderr).toMatch(/^reality-check: outcomes file .* at story: /);
  });

  it('show and export adr render the section as it was shown, the story escaped in the markdown', () => {
    const next = ask('W1');
    const shown = ok(['show', next.id]);
    expect(shown).toContain('In this workspace:');
    const adr = ok(['export', 'adr', next.id]);
    expect(adr).toContain('### In this workspace');
    expect(adr).toContain('> Networking incidents twice \\<script\\>x\\</script\\>; the \\*\\*migration\\*\\* took long.');
    expect(adr).not.toContain('<script>');
  });
});
