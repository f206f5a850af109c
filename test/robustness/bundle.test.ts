// The server as `npm start` loads it: the bundle's files are held by V8 as source strings for the life of
// the process, and a single character beyond Latin-1 anywhere in a file makes its string two bytes per
// character (the 2.2 MB start chunk cost 4.5 MB of heap while its comments held em dashes).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, MAIN } from './app-process.js';

/** Each of the bundle's JavaScript files, by name, with its text. */
function bundleFiles(): Array<{ file: string; text: string }> {
  assertBuilt();
  const dir = dirname(MAIN);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.js'))
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
}

describe('the server bundle', () => {
  it('holds only ASCII, so V8 keeps every file one byte per character', () => {
    const files = bundleFiles();
    expect(files.length).toBeGreaterThan(1);
    const wide = files.flatMap(({ file, text }) => {
      const at = text.search(/[^\x00-\x7f]/);
      return at < 0 ? [] : [`${file}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))}`];
    });
    expect(wide).toEqual([]);
  });

  it('has no comments, and keeps function names so stack traces still say where they were', () => {
    const code = bundleFiles()
      .map(({ text }) => text)
      .join('\n');
    expect(code).toMatch(/function tokenize\(/);
    expect(code).not.toMatch(/\n\s*\/\/ /);
  });
});
