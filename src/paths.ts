// Where the package's own files live, whether running compiled (dist/src/...) or from source under vitest.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('reality-check: cannot find the package root (package.json with migrations/)');
    dir = parent;
  }
}

export const PACKAGE_ROOT = findRoot();
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'migrations');
export const SQLITE_MIGRATIONS = join(MIGRATIONS_DIR, 'sqlite');
export const POSTGRES_MIGRATIONS = join(MIGRATIONS_DIR, 'postgres');
export const KNOWLEDGE_DIR = join(PACKAGE_ROOT, 'knowledge');
/** The validated knowledge base as JSON, written by the build; see loadKnowledge's `snapshot`. */
export const KNOWLEDGE_SNAPSHOT = join(PACKAGE_ROOT, 'dist', 'knowledge.snapshot.json');
