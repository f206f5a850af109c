// Bundles the server (what `npm start` runs) into dist/app/ with esbuild, and snapshots the validated
// knowledge base (see loadKnowledge). Loading Bolt, the Web API client, zod and pino from a few bundled
// files instead of some thousand modules under node_modules/ takes about a third off the time from
// `npm start` to ready (bench:ops). Native addons, and what is loaded only on
// demand (botbuilder for Teams, vega for charts, undici, the terminal prompts), stay in node_modules/.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledge, writeKnowledgeSnapshot } from '../src/knowledge/load.js';
import { KNOWLEDGE_DIR, KNOWLEDGE_SNAPSHOT } from '../src/paths.js';

const ROOT = join(import.meta.dirname, '..', '..');

// Emptied first: chunk names carry a content hash, and stale chunks would pile up with every build.
rmSync(join(ROOT, 'dist', 'app'), { recursive: true, force: true });
const result = await build({
  entryPoints: { main: join(ROOT, 'dist', 'src', 'main.js') },
  outdir: join(ROOT, 'dist', 'app'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // V8 keeps each file's source text in the heap for as long as the process runs (lazy compilation,
  // Function.prototype.toString). Comments in the bundled packages hold characters beyond Latin-1 (em
  // dashes), which made the 2.2 MB start chunk a two-byte string of 4.5 MB: 7.9 MB of sources in the large
  // object space in all. Without comments and indentation the sources are one-byte and 2.8 MB (RSS at
  // start 110 -> 105 MB). Names are kept, so stack traces still name their functions; the linked source
  // maps give lines (`--enable-source-maps`).
  minifyWhitespace: true,
  metafile: true,
  logLevel: 'warning',
  external: ['better-sqlite3', '@resvg/resvg-js', 'botbuilder', 'botframework-connector', 'vega', 'vega-lite', 'undici', '@inquirer/prompts', 'jszip'],
  // Bolt and its dependencies are CommonJS and call require() for Node's own modules.
  banner: { js: "import { createRequire as __rcCreateRequire } from 'node:module'; const require = __rcCreateRequire(import.meta.url);" },
});
const code = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const bytes = code.reduce((sum, [, o]) => sum + o.bytes, 0);
process.stdout.write(`bundled dist/app/main.js: ${code.length} files, ${(bytes / 2 ** 20).toFixed(1)} MB of code\n`);

// A knowledge base that does not validate gets no snapshot: the server then refuses to start, naming the
// file and field, as it would without one. The build itself goes on.
try {
  writeKnowledgeSnapshot(loadKnowledge(KNOWLEDGE_DIR), KNOWLEDGE_SNAPSHOT);
  process.stdout.write('knowledge snapshot: dist/knowledge.snapshot.json\n');
} catch (error) {
  process.stdout.write(`no knowledge snapshot: ${error instanceof Error ? error.message : String(error)}\n`);
}
