import { openStore } from '../dist/src/store/index.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
const file = join(mkdtempSync(join(tmpdir(), 'hit-')), 'rc.db');
const store = await openStore({ path: file });
const now = Date.now();
for (let i = 0; i < 100000; i++) await store.rateLimits.hit('T0001', `W${i}`, now, 30);
const N = 50000;
for (let rep = 0; rep < 3; rep++) {
  const cpu0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < N; i++) await store.rateLimits.hit('T0001', `U${rep}-${i}-${Math.random().toString(36).slice(2, 8)}`, now, 30);
  const c = process.cpuUsage(cpu0); const t = performance.now() - t0;
  console.log(`hit: ${(t / N * 1000).toFixed(1)} µs wall, user ${(c.user / N).toFixed(1)} sys ${(c.system / N).toFixed(1)} µs`);
}
await store.close();
