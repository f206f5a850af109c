// `npm run bench:slack`: signed slash commands against reality-check and, in the same run, against a
// bare Bolt 5 app that acks and opens a one-block modal. Both servers are pinned to core 1, the load
// and the Web API stand-in to core 0. Reports req/s and views.open/s at 50 connections (after warm-up
// until throughput stops rising) and p50/p99 from request to views.open at a fixed 100 requests/s.
import { closedLoop, freePort, post, signedHeaders, slashCommand, startServerProcess, tempDb, SECRET, type ServerProcess } from './harness.js';
import { fmt, summarise } from './stats.js';
import { now, startStandIn, type StandIn } from './standin.js';

const FORM = 'application/x-www-form-urlencoded';
const WINDOW_MS = 3_000;
const MEASURE_MS = 10_000;

async function sendCommand(server: ServerProcess): Promise<string> {
  const { body, triggerId } = slashCommand('should we use kubernetes?');
  const res = await post(server.port, '/slack/events', body, signedHeaders(body, FORM));
  if (res.status !== 200) throw new Error(`status ${res.status}: ${res.body}`);
  return triggerId;
}

async function throughput(name: string, server: ServerProcess, standIn: StandIn): Promise<{ rps: number; opens: number }> {
  let previous = 0;
  for (let window = 1; window <= 10; window++) {
    const rps = await closedLoop(50, WINDOW_MS, async () => void (await sendCommand(server)));
    process.stderr.write(`  ${name} warm-up window ${window}: ${rps.toFixed(0)} req/s\n`);
    if (window >= 3 && rps < previous * 1.03) break;
    previous = Math.max(previous, rps);
  }
  await new Promise((r) => setTimeout(r, 500));
  const before = standIn.counts.get('views.open') ?? 0;
  const rps = await closedLoop(50, MEASURE_MS, async () => void (await sendCommand(server)));
  await new Promise((r) => setTimeout(r, 500));
  const opens = ((standIn.counts.get('views.open') ?? 0) - before) / (MEASURE_MS / 1000);
  return { rps, opens };
}

async function fixedRate(server: ServerProcess, standIn: StandIn, perSecond: number, durationMs: number): Promise<number[]> {
  const sent = new Map<string, number>();
  const interval = 1000 / perSecond;
  const start = now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < (durationMs / 1000) * perSecond; i++) {
    const due = start + i * interval;
    const wait = due - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const { body, triggerId } = slashCommand('should we use kubernetes?');
    sent.set(triggerId, now());
    pending.push(post(server.port, '/slack/events', body, signedHeaders(body, FORM)));
  }
  await Promise.all(pending);
  await new Promise((r) => setTimeout(r, 1000));
  return [...sent].map(([t, at]) => (standIn.viewsOpened.get(t) ?? Number.NaN) - at).filter((x) => Number.isFinite(x));
}

const standIn = await startStandIn();
const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: standIn.url };
const results: Record<string, { rps: number; opens: number; p50: number; p99: number }> = {};
for (const [name, script, ready, extra] of [
  ['bare Bolt 5', 'dist/bench/bare-bolt.js', '/', {}],
  ['reality-check', 'dist/src/main.js', '/readyz', { DATABASE_PATH: tempDb(), RATE_LIMIT_PER_HOUR: '10000', SCHEDULER_INTERVAL_MS: '0' }],
] as const) {
  const server = await startServerProcess(script, freePort(), { ...env, ...extra }, ready);
  const t = await throughput(name, server, standIn);
  const latencies = summarise(await fixedRate(server, standIn, 100, 10_000));
  results[name] = { ...t, p50: latencies.p50, p99: latencies.p99 };
  await server.stop();
}
await standIn.close();

const bare = results['bare Bolt 5']!;
const ours = results['reality-check']!;
console.log('\nserver (1 core)   req/s @50 conn   views.open/s   request→views.open @100 req/s p50 / p99');
for (const [name, r] of Object.entries(results)) {
  console.log(`${name.padEnd(16)}  ${r.rps.toFixed(0).padStart(14)}   ${r.opens.toFixed(0).padStart(12)}   ${fmt(r.p50)} / ${fmt(r.p99)}`);
}
console.log(`ratio reality-check / bare Bolt: ${(ours.rps / bare.rps).toFixed(2)}× req/s, ${(ours.opens / bare.opens).toFixed(2)}× views.open/s (goal ≥ 0.8×); p99 goal < 50 ms: ${ours.p99 < 50 ? 'met' : 'NOT met'}`);
