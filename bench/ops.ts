// `npm run bench:ops`: cold start to ready against a bare Bolt app (same run), DM consultation latency
// end to end, and resident memory after 10,000 and 20,000 consultations. Server on core 1, load on 0.
import { APP, closedLoop, freePort, getText, post, signedHeaders, startServerProcess, tempDb, SECRET } from './harness.js';
import { fmt, summarise } from './stats.js';
import { now, startStandIn } from './standin.js';

const FORM = 'application/x-www-form-urlencoded';
const JSONT = 'application/json';
const standIn = await startStandIn();
const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: standIn.url, SCHEDULER_INTERVAL_MS: '0', RATE_LIMIT_PER_HOUR: '10000' };

// 1. Cold start: process spawn → answering (bare Bolt: any HTTP answer; reality-check: /readyz 200,
// which means database migrated and knowledge loaded). Alternating runs, fresh database each time.
const cold: Record<string, number[]> = { 'bare Bolt 5': [], 'reality-check': [] };
for (let i = 0; i < (process.env.BENCH_SKIP_COLD ? 0 : 8); i++) {
  const bare = await startServerProcess('dist/bench/bare-bolt.js', freePort(), env, '/');
  cold['bare Bolt 5']!.push(bare.readyAt - bare.startedAt);
  await bare.stop();
  const ours = await startServerProcess(APP.script, freePort(), { ...env, DATABASE_PATH: tempDb() }, '/readyz');
  cold['reality-check']!.push(ours.readyAt - ours.startedAt);
  await ours.stop();
}
const coldBare = summarise(cold['bare Bolt 5']!).p50;
const coldOurs = summarise(cold['reality-check']!).p50;

// 2. DM consultation end to end: message.im event → first question posted → one click per question →
// the verdict in chat.update. Each step waits for the stand-in to see the bot's call.
const server = await startServerProcess(APP.script, freePort(), { ...env, DATABASE_PATH: tempDb() }, '/readyz');
type Seen = { method: string; blocks: string | null; ts: string; channel: string | null };
let waiter: { match: (s: Seen) => boolean; resolve: (s: Seen) => void } | null = null;
standIn.onCall = (method, args, ts) => {
  const seen = { method, blocks: args.get('blocks'), ts: args.get('ts') ?? ts, channel: args.get('channel') };
  if (waiter?.match(seen)) {
    const w = waiter;
    waiter = null;
    w.resolve(seen);
  }
};
let where = '';
const next = (match: (s: Seen) => boolean): Promise<Seen> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot did not answer within 5 s (${where})`)), 5000);
    waiter = { match, resolve: (s) => (clearTimeout(timer), resolve(s)) };
  });

interface Block { type: string; elements?: Array<{ action_id?: string; value?: string; options?: Array<{ value: string }> }> }
function firstAnswer(blocks: Block[]): { actionId: string; value: string; select: boolean } | null {
  for (const b of blocks) {
    for (const e of b.elements ?? []) {
      if (e.action_id?.startsWith('dm_answer')) return { actionId: e.action_id, value: e.value!, select: false };
      if (e.action_id === 'dm_select') return { actionId: e.action_id, value: e.options![0]!.value, select: true };
    }
  }
  return null;
}

const dmTimes: number[] = [];
const stepTimes: number[] = [];
for (let i = 0; i < 120; i++) {
  const channel = `D${i}`;
  const userTs = `1800000000.${String(i).padStart(6, '0')}`;
  const event = JSON.stringify({
    token: 'x', team_id: 'T0001', api_app_id: 'A1', type: 'event_callback', event_id: `EvB${i}`, event_time: 1,
    event: { type: 'message', channel_type: 'im', channel, user: 'U1', text: 'should we split the monolith into microservices?', ts: userTs },
  });
  const started = now();
  const firstPost = next((s) => s.method === 'chat.postMessage' && s.channel === channel);
  await post(server.port, '/slack/events', event, signedHeaders(event, JSONT));
  let message = await firstPost;
  const messageTs = message.ts;
  for (let step = 0; step < 12; step++) {
    const answer = firstAnswer(JSON.parse(message.blocks ?? '[]') as Block[]);
    if (!answer) break;
    const action = answer.select
      ? { type: 'static_select', action_id: answer.actionId, block_id: 'b', selected_option: { value: answer.value }, action_ts: `${i}.${step}` }
      : { type: 'button', action_id: answer.actionId, block_id: 'b', value: answer.value, action_ts: `${i}.${step}` };
    const payload = {
      type: 'block_actions', team: { id: 'T0001' }, user: { id: 'U1', team_id: 'T0001' }, api_app_id: 'A1', trigger_id: 't',
      container: { type: 'message', channel_id: channel, message_ts: messageTs }, channel: { id: channel },
      message: { ts: messageTs, thread_ts: userTs }, actions: [action],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    where = `consultation ${i}, step ${step}, ${JSON.stringify(action)}`;
    const t = now();
    const update = next((s) => s.method === 'chat.update' && s.channel === channel);
    await post(server.port, '/slack/events', body, signedHeaders(body, FORM));
    message = await update;
    stepTimes.push(now() - t);
  }
  if (i >= 20) dmTimes.push(now() - started); // the first 20 warm up
}
standIn.onCall = null;
const dm = summarise(dmTimes);
const step = summarise(stepTimes);

// 3. Memory: 10,000 consultations through the modal, then 10,000 more.
let view = 0;
const answers: Array<[string, string]> = [
  ['team-size', '10-50'], ['platform-team', 'none'], ['k8s-experience', 'some'], ['hosting', 'managed'],
  ['service-count', '6-30'], ['stateful', 'none'], ['oncall', 'informal'],
];
const modalValues: Record<string, Record<string, unknown>> = Object.fromEntries(answers.map(([q, c]) => [`q:${q}`, { choice: { type: 'static_select', selected_option: { value: c } } }]));
modalValues.visibility = { visibility: { type: 'radio_buttons', selected_option: { value: 'channel' } } };
async function submit(): Promise<void> {
  const id = `VB${++view}`;
  const payload = {
    type: 'view_submission', team: { id: 'T0001' }, user: { id: `U${view % 300}`, team_id: 'T0001' }, api_app_id: 'A1', trigger_id: 't',
    view: {
      id, callback_id: 'consult_modal', hash: 'h',
      private_metadata: JSON.stringify({ channel: 'C1', question: 'should we use kubernetes?', topic: 'kubernetes', dm: false, at: Date.now() }),
      state: { values: modalValues },
    },
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const res = await post(server.port, '/slack/events', body, signedHeaders(body, FORM));
  if (res.status !== 200) throw new Error(`submission ${id}: ${res.status} ${res.body}`);
}
const rssStart = server.rssMb();
const anonStart = server.anonMb();
async function batch(n: number): Promise<readonly [number, number]> {
  const target = view + n;
  await closedLoop(20, 3_600_000, async () => {
    if (view >= target) throw new Error('done');
    await submit();
  }).catch((e: Error) => {
    if (e.message !== 'done') throw e;
  });
  await new Promise((r) => setTimeout(r, 2000));
  return [server.rssMb(), server.anonMb()] as const;
}
/** Where the memory is, from the app's own /metrics: V8 heap used / committed, and external (Buffers). */
async function heap(): Promise<string> {
  const text = await getText(server.port, '/metrics');
  const mb = (name: string): string => (Number(new RegExp(`^reality_check_${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN) / 2 ** 20).toFixed(0);
  return `heap ${mb('nodejs_heap_size_used_bytes')} used / ${mb('nodejs_heap_size_total_bytes')} committed, external ${mb('nodejs_external_memory_bytes')}`;
}
const heapStart = await heap();
const [rss10k, anon10k] = await batch(10_000);
const heap10k = await heap();
const [rss20k, anon20k] = await batch(10_000);
const heap20k = await heap();
await server.stop();
await standIn.close();

console.log('\nmeasure                                        result');
console.log(`cold start to ready, bare Bolt 5 (median of 8)  ${fmt(coldBare)}`);
console.log(`cold start to ready, reality-check              ${fmt(coldOurs)}  → ${(coldOurs / coldBare).toFixed(2)}× bare Bolt (goal ≤ 1.3×)`);
console.log(`DM consultation end to end (${dm.n}, 7–8 clicks)   p50 ${fmt(dm.p50)}, p99 ${fmt(dm.p99)}`);
console.log(`  one DM step (click → chat.update)             p50 ${fmt(step.p50)}, p99 ${fmt(step.p99)}`);
console.log(`RSS at start / after 10,000 / after 20,000      ${rssStart.toFixed(0)} MB / ${rss10k.toFixed(0)} MB / ${rss20k.toFixed(0)} MB (goal < 200 MB; growth over the second 10,000: ${(rss20k - rss10k).toFixed(0)} MB)`);
console.log(`  of which anonymous (heap, native)             ${anonStart.toFixed(0)} MB / ${anon10k.toFixed(0)} MB / ${anon20k.toFixed(0)} MB (the rest is file-backed: the node binary and native libraries)`);
console.log(`  V8 and Buffers, MB (start / 10,000 / 20,000)  ${heapStart} | ${heap10k} | ${heap20k}`);
