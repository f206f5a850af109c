// `npm run bench:engines`: the same run on SQLite and on PostgreSQL, on this machine.
//
//  1. Both apps start as `npm start` runs them (bench/harness.ts), each against its own database: a SQLite
//     file in a temp dir, and a fresh PostgreSQL database (CREATE DATABASE rc_bench_<random> on
//     127.0.0.1:5432, dropped WITH (FORCE) at the end; BENCH_PG_ADMIN_URL names another server's
//     `postgres` database). Both run the whole time and are measured in alternating rounds (S P P S S P,
//     as bench:slack does), so a drift in the machine's speed falls on both alike. Per round and engine:
//     a. consultation submissions (signed view_submission of the consultation modal, a fresh view id
//        each, users rotating over 1,000, RATE_LIMIT_PER_HOUR=10000) from 16 closed-loop senders for
//        10 s; only 200 answers with an empty ack body count (a 200 with response_action=errors is a
//        validation failure, counted as an error);
//     b. 100 submissions/s open loop for 10 s: p50/p99 from the request to the ack (HTTP response), and
//        to the verdict's chat.postMessage at the Web API stand-in (each submission names its own channel);
//     c. App Home, event → views.publish at the stand-in: 20 app_home_opened events one at a time (the cost
//        of one, no queueing), then 50 events/s for 5 s, each for a user who has consultations; the backlog
//        drains before the next measurement. Its queries read the whole workspace (every submission so
//        far goes to one workspace), so the workspace's size at that point is printed with it.
//     Reported: medians over the rounds, and the PostgreSQL/SQLite submissions/s ratio (goal ≥ 0.7).
//     When the PostgreSQL server runs with autovacuum = off (this machine's conf.d/90-ci.conf does), the
//     planner would never get statistics for the tables the rounds fill, so ANALYZE runs on the app's
//     database before each PostgreSQL round, outside the measured windows, as autovacuum would.
//  2. One workspace's weekly digest at 1,000,000 predictions on each engine: `node dist/bench/digest.js`
//     (a fresh database again for PostgreSQL) builds and times it ("as built"); then, after ANALYZE on
//     PostgreSQL, a second digest.js run on the same database times it again (the figure reported).
//     Minutes per engine; BENCH_SKIP_DIGEST=1 skips it. BENCH_ROUNDS=n changes the number of rounds.
//
// Cores (this machine has 2): as bench:slack and bench:ops, both apps are pinned to core 1 (the harness's
// `taskset -c 1`) and this load generator with the Web API stand-in to core 0 (`taskset -c 0` in the npm
// script). The PostgreSQL server is a system service and is not pinned: its backend processes run on
// either core, so PostgreSQL's own CPU competes with the app and with the load, as it would on a small
// host running both. The digest child runs on core 1 like the apps (by then they have stopped).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { APP, freePort, post, ROOT, signedHeaders, startServerProcess, tempDb, SECRET, type ServerProcess } from './harness.js';
import { fmt, summarise } from './stats.js';
import { now, startStandIn } from './standin.js';

const FORM = 'application/x-www-form-urlencoded';
const JSONT = 'application/json';
const SENDERS = 16;
const THROUGHPUT_MS = 10_000;
const RATE = 100;
const RATE_MS = 10_000;
const HOME_RATE = 50;
const HOME_MS = 5_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const USERS = 1_000;
const REQUEST_TIMEOUT_MS = 15_000;
const TEAM = 'T0001';
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Engine = 'SQLite' | 'PostgreSQL';
const ENGINES: Engine[] = ['SQLite', 'PostgreSQL'];

// ---- Cleanup: the PostgreSQL databases and temp dirs this run made go, however it ends ----------------

const databases: string[] = [];
const tempDirs: string[] = [];
let cleaned = false;
async function query(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}
const adminQuery = (sql: string): Promise<unknown> => query(ADMIN_URL, sql);
async function createDatabase(prefix: string): Promise<string> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  databases.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const name of databases) {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e: Error) => process.stderr.write(`could not drop ${name}: ${e.message}\n`));
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));
}
// The benchmark stops on its own even if the app stops answering.
setTimeout(() => {
  process.stderr.write('bench:engines: giving up after 90 minutes\n');
  void cleanup().finally(() => process.exit(1));
}, 90 * 60_000).unref();

// ---- The stand-in, and what it saw: verdict posts by channel, App Home publishes by user -------------

const standIn = await startStandIn();
const verdictAt = new Map<string, number>();
const publishedAt = new Map<string, number>();
standIn.onCall = (method, args) => {
  if (method === 'chat.postMessage') {
    const channel = args.get('channel');
    if (channel?.startsWith('CV')) verdictAt.set(channel, now());
  } else if (method === 'views.publish') {
    const user = args.get('user_id');
    if (user) publishedAt.set(user, now());
  }
};

// ---- Requests --------------------------------------------------------------------------------------

const answers: Array<[string, string]> = [
  ['team-size', '10-50'], ['platform-team', 'none'], ['k8s-experience', 'some'], ['hosting', 'managed'],
  ['service-count', '6-30'], ['stateful', 'none'], ['oncall', 'informal'],
];
const modalValues: Record<string, Record<string, unknown>> = Object.fromEntries(
  answers.map(([q, c]) => [`q:${q}`, { choice: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: c }, value: c } } }]),
);
modalValues.visibility = { visibility: { type: 'radio_buttons', selected_option: { text: { type: 'plain_text', text: 'channel' }, value: 'channel' } } };

let seq = 0;
/** A consultation modal's view_submission: a fresh view id, a user of USERS, its own channel. */
function submission(): { body: string; channel: string } {
  const n = ++seq;
  const channel = `CV${n}`;
  const payload = {
    type: 'view_submission', team: { id: TEAM, domain: 'bench' }, user: { id: `U${n % USERS}`, username: 'bench', name: 'bench', team_id: TEAM },
    api_app_id: 'A1', token: 'x', trigger_id: `${n}.1.view`,
    view: {
      id: `VE${n}x${process.pid}`, team_id: TEAM, type: 'modal', callback_id: 'consult_modal', hash: `h${n}`, blocks: [],
      private_metadata: JSON.stringify({ channel, question: 'should we use kubernetes?', topic: 'kubernetes', dm: false, at: Date.now() }),
      state: { values: modalValues }, app_id: 'A1', bot_id: 'BBOT',
    },
    response_urls: [], is_enterprise_install: false,
  };
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), channel };
}

let eventSeq = 0;
function appHomeOpened(user: string): string {
  const n = ++eventSeq;
  return JSON.stringify({
    token: 'x', team_id: TEAM, api_app_id: 'A1', type: 'event_callback', event_id: `EvH${n}x${process.pid}`, event_time: Math.floor(Date.now() / 1000),
    event: { type: 'app_home_opened', user, channel: `D${user}`, tab: 'home', event_ts: `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}` },
    authorizations: [{ team_id: TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  });
}

interface Errors {
  count: number;
  samples: string[];
}
function noteError(errors: Errors, what: string): void {
  errors.count++;
  const sample = what.slice(0, 300);
  if (errors.samples.length < 5 && !errors.samples.includes(sample)) errors.samples.push(sample);
}

/** Sends a request; resolves with a description of what went wrong, or null for an accepted one. */
async function send(server: ServerProcess, body: string, contentType: string): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${REQUEST_TIMEOUT_MS} ms`), REQUEST_TIMEOUT_MS)));
  const answer = post(server.port, '/slack/events', body, signedHeaders(body, contentType)).then(
    (res) =>
      res.status === 404 && !res.body ? 'HTTP 404 (Bolt answers so when the listener has not acked within 3 s)'
      : res.status !== 200 ? `HTTP ${res.status}: ${res.body}`
      : res.body.includes('response_action') ? `HTTP 200 with ${res.body}`
      : null,
    (error: Error) => `request failed: ${error.message}`,
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- The three measurements ------------------------------------------------------------------------

/** a. Closed loop: SENDERS senders, each sending the next submission when the last was answered. */
async function throughput(server: ServerProcess, durationMs: number, errors: Errors): Promise<number> {
  const end = now() + durationMs;
  let ok = 0;
  const engine = engineOf(server);
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (now() < end) {
        const error = await send(server, submission().body, FORM);
        if (error) noteError(errors, error);
        else ok++;
      }
    }),
  );
  stored[engine] += ok;
  return ok / (durationMs / 1000);
}

/** Open loop at `perSecond`: each request is sent on schedule, whether the last was answered or not. */
async function openLoop(perSecond: number, durationMs: number, fire: () => Promise<void>): Promise<void> {
  const start = now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < (durationMs / 1000) * perSecond; i++) {
    const wait = start + (i * 1000) / perSecond - now();
    if (wait > 0) await pause(wait);
    pending.push(fire());
  }
  await Promise.all(pending);
}

/** b. Fixed rate: request → ack, and request → the verdict's chat.postMessage. */
async function latency(server: ServerProcess, errors: Errors): Promise<{ ack: number[]; verdict: number[]; missing: number }> {
  const ack: number[] = [];
  const sent: Array<[string, number]> = [];
  verdictAt.clear();
  await openLoop(RATE, RATE_MS, async () => {
    const { body, channel } = submission();
    const t = now();
    const error = await send(server, body, FORM);
    if (error) return noteError(errors, error);
    stored[engineOf(server)]++;
    ack.push(now() - t);
    sent.push([channel, t]);
  });
  await pause(1000);
  const verdict = sent.map(([channel, t]) => (verdictAt.get(channel) ?? Number.NaN) - t).filter(Number.isFinite);
  return { ack, verdict, missing: sent.length - verdict.length };
}

/** c. App Home: app_home_opened → views.publish, each event for its own user (all have consultations). */
async function appHome(server: ServerProcess, errors: Errors): Promise<{ publish: number[]; missing: number }> {
  const sent: Array<[string, number]> = [];
  publishedAt.clear();
  let i = 0;
  await openLoop(HOME_RATE, HOME_MS, async () => {
    const user = `U${i++ % USERS}`;
    const t = now();
    sent.push([user, t]);
    const error = await send(server, appHomeOpened(user), JSONT);
    if (error) noteError(errors, `app_home_opened: ${error}`);
  });
  // Wait for the backlog to drain (up to 60 s): the next measurement, of either engine, shares the app core.
  for (let waited = 0; waited < 60_000 && sent.some(([user]) => !publishedAt.has(user)); waited += 50) await pause(50);
  const publish = sent.map(([user, t]) => (publishedAt.get(user) ?? Number.NaN) - t).filter(Number.isFinite);
  return { publish, missing: sent.length - publish.length };
}

/** App Home one event at a time (each waits for its views.publish): the cost of one, without queueing. */
async function appHomeAlone(server: ServerProcess, errors: Errors, count = 20): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const user = `U${USERS - 1 - i}`;
    publishedAt.delete(user);
    const t = now();
    const error = await send(server, appHomeOpened(user), JSONT);
    if (error) {
      noteError(errors, `app_home_opened: ${error}`);
      continue;
    }
    for (let waited = 0; waited < 10_000 && !publishedAt.has(user); waited++) await pause(1);
    if (publishedAt.has(user)) times.push(publishedAt.get(user)! - t);
  }
  return times;
}

// ---- The run ---------------------------------------------------------------------------------------

interface Round {
  rps: number;
  verdictsPerSecond: number;
  ackP50: number;
  ackP99: number;
  verdictP50: number;
  verdictP99: number;
  homeP50: number;
  homeP99: number;
  homeAloneP50: number;
  /** Consultations in the workspace when App Home was measured. */
  consultations: number;
}
const rounds: Record<Engine, Round[]> = { SQLite: [], PostgreSQL: [] };
const errors: Record<Engine, Errors> = { SQLite: { count: 0, samples: [] }, PostgreSQL: { count: 0, samples: [] } };
const missing: Record<Engine, { verdicts: number; publishes: number }> = { SQLite: { verdicts: 0, publishes: 0 }, PostgreSQL: { verdicts: 0, publishes: 0 } };
const stored: Record<Engine, number> = { SQLite: 0, PostgreSQL: 0 };
const ports = new Map<number, Engine>();
const engineOf = (server: ServerProcess): Engine => ports.get(server.port)!;
const digests: Partial<Record<Engine, { asBuilt: DigestFigures; again: DigestFigures }>> = {};

const median = (xs: number[]): number => summarise(xs).p50;
let pgSettings = '';
let pgAnalyzed = false;

async function measureEngines(): Promise<void> {
  const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: standIn.url, SCHEDULER_INTERVAL_MS: '0', RATE_LIMIT_PER_HOUR: '10000' };
  const sqlitePath = tempDb();
  tempDirs.push(dirname(sqlitePath));
  const pgUrl = await createDatabase('rc_bench');
  const settings = await query(ADMIN_URL, "SELECT name, current_setting(name) AS setting FROM pg_settings WHERE name IN ('autovacuum', 'fsync', 'synchronous_commit', 'shared_buffers') ORDER BY name");
  pgSettings = settings.map((r) => `${String(r.name)}=${String(r.setting)}`).join(', ');
  pgAnalyzed = settings.some((r) => r.name === 'autovacuum' && r.setting === 'off');
  process.stderr.write(`SQLite: ${sqlitePath}\nPostgreSQL: ${pgUrl}\n`);
  const servers: Record<Engine, ServerProcess> = {
    SQLite: await startServerProcess(APP.script, freePort(), { ...env, DATABASE_PATH: sqlitePath, DATABASE_URL: '' }, '/readyz'),
    PostgreSQL: await startServerProcess(APP.script, freePort(), { ...env, DATABASE_URL: pgUrl, DATABASE_PATH: '' }, '/readyz'),
  };
  for (const engine of ENGINES) ports.set(servers[engine].port, engine);
  try {
    // Warm-up (JIT, the database's first pages, the pool's connections): closed-loop windows, not counted.
    for (const engine of ENGINES) {
      for (let w = 0; w < 2; w++) {
        const warm: Errors = { count: 0, samples: [] };
        const rps = await throughput(servers[engine], 3_000, warm);
        process.stderr.write(`  ${engine} warm-up ${w + 1}: ${rps.toFixed(0)} submissions/s${warm.count ? `, ${warm.count} errors (${warm.samples[0]})` : ''}\n`);
        errors[engine].count += warm.count;
        for (const s of warm.samples) if (errors[engine].samples.length < 5 && !errors[engine].samples.includes(s)) errors[engine].samples.push(s);
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const engine of round % 2 === 0 ? ENGINES : [...ENGINES].reverse()) {
        const server = servers[engine];
        // With autovacuum off (as on this server) the planner would never get statistics for the tables
        // the rounds fill; ANALYZE stands in for what autovacuum does on a normally configured server.
        if (engine === 'PostgreSQL' && pgAnalyzed) await query(pgUrl, 'ANALYZE');
        await pause(500);
        const postsBefore = standIn.counts.get('chat.postMessage') ?? 0;
        const rps = await throughput(server, THROUGHPUT_MS, errors[engine]);
        await pause(500);
        const verdictsPerSecond = ((standIn.counts.get('chat.postMessage') ?? 0) - postsBefore) / (THROUGHPUT_MS / 1000);
        await pause(500);
        const lat = await latency(server, errors[engine]);
        await pause(500);
        const alone = summarise(await appHomeAlone(server, errors[engine]));
        await pause(500);
        const home = await appHome(server, errors[engine]);
        missing[engine].verdicts += lat.missing;
        missing[engine].publishes += home.missing;
        const a = summarise(lat.ack);
        const v = summarise(lat.verdict);
        const h = summarise(home.publish);
        rounds[engine].push({ rps, verdictsPerSecond, ackP50: a.p50, ackP99: a.p99, verdictP50: v.p50, verdictP99: v.p99, homeP50: h.p50, homeP99: h.p99, homeAloneP50: alone.p50, consultations: stored[engine] });
        process.stderr.write(
          `  round ${round + 1} ${engine.padEnd(10)} ${rps.toFixed(0)} submissions/s (${verdictsPerSecond.toFixed(0)} verdicts posted/s); at ${RATE}/s ack p50 ${fmt(a.p50)} p99 ${fmt(a.p99)}, ` +
            `verdict p50 ${fmt(v.p50)} p99 ${fmt(v.p99)}; App Home alone p50 ${fmt(alone.p50)}, at ${HOME_RATE}/s p50 ${fmt(h.p50)} p99 ${fmt(h.p99)} ` +
            `(${stored[engine]} consultations in the workspace); errors so far ${errors[engine].count}, ${home.missing} App Home events unanswered\n`,
        );
      }
    }
  } finally {
    for (const engine of ENGINES) await servers[engine].stop();
  }
}

interface DigestFigures {
  median: number;
  p99: number;
  line: string;
}

/** One run of `node dist/bench/digest.js` on the apps' core; its output goes to stderr, the figures are parsed. */
async function runDigest(engine: Engine, env: Record<string, string>): Promise<DigestFigures> {
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('taskset', ['-c', '1', process.execPath, join(ROOT, 'dist/bench/digest.js')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`digest.js on ${engine} exited with ${code}`))));
  });
  const line = output.split('\n').find((l) => l.startsWith('digest for one workspace')) ?? '';
  const ms = (t: string | undefined): number => (!t ? Number.NaN : t.endsWith('µs') ? Number.parseFloat(t) / 1000 : Number.parseFloat(t));
  const m = /median (\S+ (?:ms|µs)), p99 (\S+ (?:ms|µs))/.exec(line);
  return { median: ms(m?.[1]), p99: ms(m?.[2]), line };
}

/**
 * The digest at 1,000,000 predictions: digest.js builds the database and times the digest ("as built"),
 * then, on PostgreSQL, ANALYZE gives the planner the statistics autovacuum would have gathered after the
 * bulk load, and a second run on the same database (digest.js reuses it) times it again. On SQLite the
 * second run is a plain re-time (the app runs no ANALYZE there).
 */
async function digest(engine: Engine): Promise<void> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  if (engine === 'PostgreSQL') {
    env.BENCH_DATABASE_URL = await createDatabase('rc_bench_digest');
  } else {
    delete env.BENCH_DATABASE_URL;
    if (!env.BENCH_DIGEST_DB) {
      const dir = mkdtempSync(join(tmpdir(), 'rc-bench-engines-digest-'));
      tempDirs.push(dir);
      env.BENCH_DIGEST_DB = join(dir, 'digest.db');
    }
  }
  process.stderr.write(`digest on ${engine} (building 1,000,000 predictions takes minutes)…\n`);
  const asBuilt = await runDigest(engine, env);
  if (engine === 'PostgreSQL') {
    const t = now();
    await query(env.BENCH_DATABASE_URL!, 'ANALYZE');
    process.stderr.write(`ANALYZE took ${fmt(now() - t)}; the digest again, on the same database:\n`);
  } else {
    process.stderr.write('the digest again, on the same database:\n');
  }
  digests[engine] = { asBuilt, again: await runDigest(engine, env) };
}

let failure: unknown = null;
const loadAtStart = loadavg()[0]!.toFixed(2);
let loadAfterRounds = '';
try {
  await measureEngines();
  loadAfterRounds = loadavg()[0]!.toFixed(2);
  if (!process.env.BENCH_SKIP_DIGEST) for (const engine of ENGINES) await digest(engine);
} catch (error) {
  failure = error;
} finally {
  standIn.onCall = null;
  await standIn.close();
  await cleanup();
}
if (failure) {
  console.error(failure);
  process.exit(1);
}

// ---- Report ----------------------------------------------------------------------------------------

const agg = (engine: Engine, key: keyof Round): number => median(rounds[engine].map((r) => r[key]));
const ratios = rounds.SQLite.map((s, i) => rounds.PostgreSQL[i]!.rps / s.rps);
const ratio = agg('PostgreSQL', 'rps') / agg('SQLite', 'rps');
console.log(`\nbench:engines — ${ROUNDS} alternating rounds per engine; submissions at ${SENDERS} closed-loop senders for ${THROUGHPUT_MS / 1000} s, latency at ${RATE} req/s open loop for ${RATE_MS / 1000} s, App Home at ${HOME_RATE}/s for ${HOME_MS / 1000} s; medians of the rounds\n`);
console.log('| engine | submissions/s | verdicts posted/s | ack p50 / p99 at 100 req/s | verdict post p50 / p99 at 100 req/s | App Home publish p50 / p99 at 50/s | App Home alone p50 | digest at 1M predictions, median (p99) | digest as built, before ANALYZE |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const engine of ENGINES) {
  const d = digests[engine];
  console.log(
    `| ${engine} | ${agg(engine, 'rps').toFixed(0)} | ${agg(engine, 'verdictsPerSecond').toFixed(0)} | ${fmt(agg(engine, 'ackP50'))} / ${fmt(agg(engine, 'ackP99'))} | ` +
      `${fmt(agg(engine, 'verdictP50'))} / ${fmt(agg(engine, 'verdictP99'))} | ${fmt(agg(engine, 'homeP50'))} / ${fmt(agg(engine, 'homeP99'))} | ${fmt(agg(engine, 'homeAloneP50'))} | ` +
      (d ? `${fmt(d.again.median)} (${fmt(d.again.p99)}) | ${fmt(d.asBuilt.median)} (${fmt(d.asBuilt.p99)}) |` : `${process.env.BENCH_SKIP_DIGEST ? 'skipped' : 'n/a'} | |`),
  );
}
console.log(`\nconsultations in the workspace when App Home was measured, per round: SQLite ${rounds.SQLite.map((r) => r.consultations).join(', ')}; PostgreSQL ${rounds.PostgreSQL.map((r) => r.consultations).join(', ')}`);
console.log(`PostgreSQL server: ${pgSettings}; ${pgAnalyzed ? 'autovacuum is off, so the benchmark ran ANALYZE on the app database before each PostgreSQL round' : 'no manual ANALYZE in the HTTP rounds'}. SQLite: WAL, synchronous=NORMAL (no fsync per commit)`);
console.log(`load average (1 min) at the start / after the HTTP rounds / at the end: ${loadAtStart} / ${loadAfterRounds} / ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores`);
console.log(`submissions/s per round: SQLite ${rounds.SQLite.map((r) => r.rps.toFixed(0)).join(', ')}; PostgreSQL ${rounds.PostgreSQL.map((r) => r.rps.toFixed(0)).join(', ')}`);
console.log(`PostgreSQL / SQLite submissions/s: ${ratio.toFixed(2)}× (medians); per round ${ratios.map((r) => r.toFixed(2)).join(', ')}, median ${median(ratios).toFixed(2)}× (goal ≥ 0.7×: ${ratio >= 0.7 ? 'met' : 'NOT met'})`);
for (const engine of ENGINES) {
  const d = digests[engine];
  if (d) console.log(`digest ${engine}: ${d.again.line || '(no digest line in the output)'} → ${d.again.median < 50 ? 'met' : 'NOT met'}; as built: ${d.asBuilt.line}`);
}
for (const engine of ENGINES) {
  const e = errors[engine];
  const m = missing[engine];
  console.log(`${engine}: ${e.count} failed requests${e.samples.length ? ` (distinct: ${e.samples.join(' | ')})` : ''}; ${m.verdicts} acknowledged submissions without a verdict post, ${m.publishes} App Home events without a views.publish (after waiting up to 60 s)`);
  if (e.count || m.verdicts || m.publishes) console.log(`  (BENCH_VERBOSE=1 shows the apps' own log lines, warnings and errors, on standard output)`);
}
process.exit(0);
