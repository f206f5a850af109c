// Builds (or resumes) a scale world only: node .probe/build-world.mjs sqlite /path | postgres url
import { loadKnowledge } from '../dist/src/knowledge/load.js';
import { KNOWLEDGE_DIR, KNOWLEDGE_SNAPSHOT } from '../dist/src/paths.js';
import { openStore } from '../dist/src/store/index.js';
import { ensureWorld } from '../dist/bench/scale-world.js';
const [engine, where] = process.argv.slice(2);
const kb = loadKnowledge(KNOWLEDGE_DIR, { snapshot: KNOWLEDGE_SNAPSHOT });
const store = await openStore(engine === 'sqlite' ? { path: where } : { url: where, path: '' });
const r = await ensureWorld(store, kb, Date.now(), (l) => console.error(l));
console.error(JSON.stringify(r));
await store.close();
