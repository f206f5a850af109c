// Bundles the server (what `npm start` runs) into dist/app/ with esbuild, and snapshots the validated
// knowledge base (see loadKnowledge). Loading Bolt, the Web API client, zod and pino from a few bundled
// files instead of some thousand modules under node_modules/ takes about a third off the time from
// `npm start` to ready (bench:ops). Native addons, and what is loaded only on
// demand (botbuilder for Teams, vega for charts, undici, the terminal prompts), stay in node_modules/.
import { build } from 'esbuild';
import { join } from 'node:path';
import { loadKnowledge, writeKnowledgeSnapshot } from '../src/knowledge/load.js';
import { KNOWLEDGE_DIR, KNOWLEDGE_SNAPSHOT } from '../src/paths.js';

const ROOT = join(import.meta.dirname, '..', '..');

const result = await build({
  entryPoints: { main: join(ROOT, 'dist', 'src', 'main.js') },
  outdir: join(ROOT, 'dist', 'app'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
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
