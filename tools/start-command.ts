// How `npm start` runs the server, read from package.json's start script, so the process tests and the
// benchmarks run exactly that (the bundled app and its V8 flags), not an approximation of it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StartCommand {
  /** Flags for node before the script, e.g. V8 heap settings. */
  nodeArgs: string[];
  /** The script, relative to the package root. */
  script: string;
}

export function startCommand(root: string): StartCommand {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const words = (pkg.scripts?.start ?? '').trim().split(/\s+/);
  const script = words.at(-1) ?? '';
  if (words[0] !== 'node' || !script.endsWith('.js') || words.slice(1, -1).some((w) => !w.startsWith('--'))) {
    throw new Error(`package.json's start script should read "node [--flag ...] file.js", not "${pkg.scripts?.start ?? ''}"`);
  }
  return { nodeArgs: words.slice(1, -1), script };
}
