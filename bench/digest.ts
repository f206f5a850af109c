// `npm run bench:digest`: one workspace's weekly digest in a database of 1,000,000 predictions
// (100 workspaces, half resolved), on SQLite, or on PostgreSQL with BENCH_DATABASE_URL=postgres://….
// Goal: < 50 ms per digest (median), chart rendering reported apart.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { mulberry32 } from '../src/accuracy/random.js';
import { renderCalibrationPng } from '../src/chart/calibration-chart.js';
import { buildDigest } from '../src/service/digest-service.js';
import { openStore } from '../src/store/index.js';
import { fmt, summarise } from './stats.js';

const WORKSPACES = 100;
const PREDICTIONS = 1_000_000;
const PER_CONSULTATION = 8;
const DAY = 86_400_000;
const now = Date.UTC(2026, 10, 27, 12);
const random = mulberry32(7);

// BENCH_DIGEST_DB=path keeps the generated database between runs (it takes minutes to build).
// BENCH_DATABASE_URL=postgres://… runs it on PostgreSQL (a database that already has the rows is reused).
const url = process.env.BENCH_DATABASE_URL;
const path = process.env.BENCH_DIGEST_DB || join(mkdtempSync(join(tmpdir(), 'rc-bench-digest-')), 'digest.db');
const store = await openStore({ url, path });
const reuse = url ? (await store.tables.counts()).predictions >= PREDICTIONS : existsSync(path) && (await store.tables.counts()).predictions >= PREDICTIONS;
const t0 = performance.now();
const consultations = PREDICTIONS / PER_CONSULTATION;
const topics = ['kubernetes', 'microservices', 'distributed-database', 'ml-model-serving', 'prompt-pipeline', 'zero-trust', 'general'];
// Written through the store, as the app writes them: several at a time, as several users would.
async function writeOne(i: number): Promise<void> {
  {
    const workspace = `T${String(i % WORKSPACES).padStart(3, '0')}`;
    const id = `rc-b${i}`;
    const createdAt = now - Math.floor(random() * 365 * DAY);
    const topic = topics[i % topics.length]!;
    await store.consultations.save({
      id, workspace, platform: 'slack', channel: 'C1', userId: `U${i % 500}`, question: 'should we?', topic, knowledgeVersion: 'bench',
      answers: {}, verdict: 'adopt-with-guardrails', riskScore: 0.3, assessment: {},
      predictions: Array.from({ length: PER_CONSULTATION }, (_, k) => ({ failureMode: `fm-${k}`, probability: 0.05 + 0.9 * random(), modelProbability: 0.5, horizonMonths: 9 })),
      estimates: [{ kind: 'cost', p10: 1e5, p50: 3e5, p90: 9e5, unit: 'USD' }, { kind: 'time', p10: 3, p50: 6, p90: 14, unit: 'months' }],
      createdAt, checkInAt: createdAt + 90 * DAY,
    });
    // Half of all predictions resolved: every other consultation, fully.
    if (Math.floor(i / WORKSPACES) % 2 === 0) {
      const failureModes: Record<string, boolean> = {};
      for (let k = 0; k < PER_CONSULTATION; k++) failureModes[`fm-${k}`] = random() < 0.4;
      await store.consultations.recordOutcomes(workspace, id, { failureModes, actualCost: 2e5 + 6e5 * random(), actualMonths: 2 + 12 * random() }, 'bench', Math.min(now, createdAt + 90 * DAY));
    }
  }
}
const CONCURRENCY = 8;
for (let i = 0; i < (reuse ? 0 : consultations); i += CONCURRENCY) {
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, consultations - i) }, (_, k) => writeOne(i + k)));
}
const built = performance.now() - t0;
console.log(`engine: ${store.engine}`);
console.log(reuse ? `reusing ${url ? 'the PostgreSQL database' : path}` : `built ${PREDICTIONS.toLocaleString()} predictions in ${WORKSPACES} workspaces in ${(built / 1000).toFixed(1)} s`);

const times: number[] = [];
let resolved = 0;
for (let round = 0; round < 3; round++) {
  for (let w = 0; w < 20; w++) {
    const workspace = `T${String(w * 5).padStart(3, '0')}`;
    const s = performance.now();
    const digest = await buildDigest(store, workspace, now, 'Europe/Berlin');
    const elapsed = performance.now() - s;
    if (round > 0) times.push(elapsed); // round 0 warms caches and the JIT
    resolved = digest.accuracy.resolved;
  }
}
const stats = summarise(times);
console.log(`digest for one workspace (${resolved.toLocaleString()} resolved predictions): median ${fmt(stats.p50)}, p99 ${fmt(stats.p99)} over ${stats.n} runs (goal < 50 ms)`);

const chartTimes: number[] = [];
const digest = await buildDigest(store, 'T000', now, 'Europe/Berlin');
for (let i = 0; i < 6; i++) {
  const s = performance.now();
  await renderCalibrationPng(digest.accuracy.calibration, 'bench');
  if (i > 0) chartTimes.push(performance.now() - s);
}
console.log(`calibration chart PNG: median ${fmt(summarise(chartTimes).p50)} (rendered apart from the digest computation)`);
await store.close();
