// `reality-check kb gaps`: the built CLI lists the most-asked subjects the knowledge base has no topic
// for, per workspace or summed over all, as text or JSON.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
const T0 = Date.UTC(2026, 10, 1);

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATABASE_PATH;
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: PACKAGE_ROOT, env, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => removeTempDirs());

describe('kb gaps', () => {
  it('lists the most-asked missing subjects, per workspace and summed', async () => {
    const db = join(makeTempDir('rc-gaps-'), 'rc.db');
    const store = openSqliteStore(db);
    await store.gaps.record('T1', ['kafka'], T0);
    await store.gaps.record('T1', ['kafka', 'graphql'], T0 + 1);
    await store.gaps.record('T2', ['serverless'], T0 + 2);
    await store.close();

    const all = run(['--db', db, 'kb', 'gaps', '--json']);
    expect(all.status, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual([
      { term: 'kafka', asks: 2, lastSeen: new Date(T0 + 1).toISOString() },
      { term: 'graphql', asks: 1, lastSeen: new Date(T0 + 1).toISOString() },
      { term: 'serverless', asks: 1, lastSeen: new Date(T0 + 2).toISOString() },
    ]);
    const one = run(['--db', db, 'kb', 'gaps', '--workspace', 'T2']);
    expect(one.stdout).toContain('serverless');
    expect(one.stdout).not.toContain('kafka');
    const bad = run(['--db', db, 'kb', 'gaps', '--limit', 'many']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--limit must be a whole number');
  });
});
