// A copy of an engine's migrations that stops before a given one, to build a database as it was then.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { makeTempDir } from './temp.js';

/** The engine's migrations before the one under test. */
export function migrationsBefore(dir: string, name: string): string {
  const copy = join(makeTempDir(), 'migrations');
  cpSync(dir, copy, { recursive: true });
  const files = readdirSync(copy).sort();
  const index = files.indexOf(`${name}.sql`);
  expect(index).toBeGreaterThan(0);
  for (const later of files.slice(index)) rmSync(join(copy, later));
  return copy;
}
