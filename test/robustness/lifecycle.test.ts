// The app's life as a process (started as `npm start` starts it): graceful SIGTERM /
// SIGINT with requests in flight, clear refusals to start, help without a TTY, readiness, Prometheus
// metrics, and the cap on question length.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR, SQLITE_MIGRATIONS } from '../../src/paths.js';
import { consultationIdFromKey as idFromKey } from '../../src/service/consult-service.js';
import { migrate, openDatabase } from '../../src/store/sqlite/database.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { interactionBody, signed, slashCommandBody } from '../fakes/slack-signing.js';
import { KUBERNETES_ANSWERS, viewSubmission } from '../slack/harness.js';
import { get, killHard, rawRequest, spawnApp, startApp, startUpload, until, type AppProcess, type RunningApp } from './app-process.js';

const SECRET = 'lifecycle-signing-secret';
const FORM = 'application/x-www-form-urlencoded';
const STACK = /\n\s+at\s|\bat\s+\S*(file:\/\/|node:|\/)\S*:\d+/;

let api: FakeSlackApi;
let dir: string;
const apps: AppProcess[] = [];
let dbSeq = 0;

const slackEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  SLACK_BOT_TOKEN: 'xoxb-lifecycle',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: api.url,
  DATABASE_PATH: join(dir, `db-${++dbSeq}.sqlite`),
  SCHEDULER_INTERVAL_MS: '0',
  ...extra,
});

async function start(extra: Record<string, string> = {}): Promise<RunningApp> {
  return startApp(slackEnv(extra), { onSpawn: (app) => apps.push(app) });
}

function spawn(env: Record<string, string>): AppProcess {
  const app = spawnApp(env);
  apps.push(app);
  return app;
}

function signedCommand(text: string, fields: Record<string, string> = {}): { headers: Record<string, string>; body: string } {
  return signed(SECRET, slashCommandBody({ text, response_url: api.responseUrl('lifecycle'), ...fields }), FORM);
}

function signedSubmission(viewId: string, visibility: 'me' | 'thread' | 'channel', user = 'U0001'): { headers: Record<string, string>; body: string } {
  const meta = JSON.stringify({ channel: 'C0001', question: 'should we use kubernetes?', topic: 'kubernetes', dm: false });
  return signed(SECRET, interactionBody(viewSubmission({ viewId, privateMetadata: meta, answers: KUBERNETES_ANSWERS, visibility, user })), FORM);
}

beforeAll(async () => {
  api = new FakeSlackApi();
  await api.start();
  dir = mkdtempSync(join(tmpdir(), 'rc-lifecycle-'));
});

afterAll(async () => {
  await Promise.all(apps.map((a) => killHard(a)));
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- Graceful shutdown ------------------------------------------------------------------------------

describe.each([
  ['SIGTERM', 3_000],
  ['SIGINT', 3_000],
] as const)('%s with requests in flight', (signal, grace) => {
  it('finishes the in-flight requests, refuses new connections, closes the database and exits 0 in time', async () => {
    const app = await start({ SHUTDOWN_GRACE_MS: String(grace) });
    const dbPath = join(dir, `db-${dbSeq}.sqlite`);
    const help = signedCommand('help');
    const challenge = signed(SECRET, JSON.stringify({ token: 'x', challenge: 'still-here', type: 'url_verification' }), 'application/json');
    const uploads = [
      startUpload({ port: app.port, path: '/slack/events', headers: help.headers, body: help.body, firstBytes: 40 }),
      startUpload({ port: app.port, path: '/slack/events', headers: challenge.headers, body: challenge.body, firstBytes: 10 }),
    ];
    await Promise.all(uploads.map((u) => u.started));
    // A request on another connection answered after the uploads' bytes arrived: the server has
    // accepted both connections and is inside their handlers, reading the bodies.
    expect((await get(app.port, '/healthz')).status).toBe(200);

    const sentAt = Date.now();
    app.child.kill(signal);
    await until('the shutdown to begin', () => (app.logs().some((l) => l.msg === 'shutting down' && l.signal === signal) ? true : undefined), 5_000, 5);
    // No new connections once it is shutting down.
    const refused = await get(app.port, '/healthz');
    expect(refused.status).toBe(0);
    // Refused outright, or reset when the connection raced into the listen backlog just before it closed.
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(refused.error);
    expect(app.exit).toBeNull();

    // The in-flight requests still complete, with their real answers.
    for (const u of uploads) u.finish();
    const [helpRes, challengeRes] = await Promise.all(uploads.map((u) => u.response));
    expect(helpRes!.status).toBe(200);
    expect(JSON.parse(helpRes!.body)).toMatchObject({ response_type: 'ephemeral', text: 'How to use reality-check' });
    expect(challengeRes!.status).toBe(200);
    expect(JSON.parse(challengeRes!.body)).toEqual({ challenge: 'still-here' });

    const exit = await app.waitExit(grace + 2_000);
    const took = Date.now() - sentAt;
    expect(exit).toEqual({ code: 0, signal: null });
    // Nothing was left to wait for, so it did not sit out the grace period.
    expect(took).toBeLessThan(grace);
    expect(app.logs().some((l) => l.msg === 'reality-check stopped')).toBe(true);
    expect(app.stderr()).toBe('');
    // The database was closed: SQLite folds the WAL back and removes it on the last clean close.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
  }, 20_000);
});

describe('shutdown is bounded', () => {
  it('cuts a request that never finishes at SHUTDOWN_GRACE_MS and still exits 0', async () => {
    const grace = 1_500;
    const app = await start({ SHUTDOWN_GRACE_MS: String(grace) });
    const help = signedCommand('help');
    const stalled = startUpload({ port: app.port, path: '/slack/events', headers: help.headers, body: help.body, firstBytes: 30 });
    await stalled.started;
    expect((await get(app.port, '/healthz')).status).toBe(200);
    const sentAt = Date.now();
    app.child.kill('SIGTERM');
    const exit = await app.waitExit(grace + 3_000);
    const took = Date.now() - sentAt;
    expect(exit).toEqual({ code: 0, signal: null });
    // It waited for the in-flight request (about the grace period), then closed it.
    expect(took).toBeGreaterThanOrEqual(grace - 100);
    expect(took).toBeLessThan(grace + 2_000);
    const res = await stalled.response;
    expect(res.status).toBe(0);
  }, 15_000);
});

// ---- Refusing to start ------------------------------------------------------------------------------

function expectRefusal(app: AppProcess, exit: Awaited<ReturnType<AppProcess['waitExit']>>, mustName: RegExp): string[] {
  expect(exit).toEqual({ code: 1, signal: null });
  const lines = app.stderr().split('\n').filter((l) => l.trim() !== '');
  expect(lines.length).toBeGreaterThan(0);
  expect(app.stderr()).not.toMatch(STACK);
  expect(lines.filter((l) => mustName.test(l))).toHaveLength(1);
  // It never got as far as listening.
  expect(app.logs().some((l) => l.msg === 'reality-check ready')).toBe(false);
  return lines;
}

describe('start-up refuses clearly', () => {
  it('bad configuration: exit 1, one stderr line naming the variable, no stack trace, no secret echoed', async () => {
    const badPort = spawn(slackEnv({ PORT: 'abc' }));
    const badToken = spawn(slackEnv({ SLACK_BOT_TOKEN: 'nope-not-a-token' }));
    const badPortExit = await badPort.waitExit(10_000);
    const badTokenExit = await badToken.waitExit(10_000);

    const portLines = expectRefusal(badPort, badPortExit, /\bPORT\b/);
    expect(portLines.find((l) => /\bPORT\b/.test(l))).toMatch(/PORT: .*"abc"/);
    const tokenLines = expectRefusal(badToken, badTokenExit, /\bSLACK_BOT_TOKEN\b/);
    expect(tokenLines.find((l) => /SLACK_BOT_TOKEN/.test(l))).toMatch(/xoxb-/);
    expect(badToken.stderr()).not.toContain('nope-not-a-token');
  }, 20_000);

  it('a database written by newer code: exit 1 saying so, and the file is left alone', async () => {
    const path = join(dir, 'newer.sqlite');
    const db = openDatabase(path);
    migrate(db, SQLITE_MIGRATIONS);
    db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(9999, '9999_from_the_future', 'f'.repeat(64), Date.now());
    db.close();

    const app = spawn(slackEnv({ DATABASE_PATH: path }));
    const lines = expectRefusal(app, await app.waitExit(10_000), /newer code/);
    expect(lines.join('\n')).toContain('9999_from_the_future');
    const check = openDatabase(path);
    try {
      const versions = (check.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version);
      expect(versions.at(-1)).toBe(9999);
      expect(versions).toHaveLength(readdirSync(SQLITE_MIGRATIONS).filter((f) => f.endsWith('.sql')).length + 1);
    } finally {
      check.close();
    }
  }, 15_000);

  it('a broken knowledge base: exit 1 naming the file and the field', async () => {
    const kb = join(dir, 'knowledge');
    mkdirSync(kb);
    for (const f of readdirSync(KNOWLEDGE_DIR)) copyFileSync(join(KNOWLEDGE_DIR, f), join(kb, f));
    const file = join(kb, 'kubernetes.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^claim: .+$/m);
    writeFileSync(file, text.replace(/^claim: .+$/m, 'claim: [not, a, sentence]'));

    const app = spawn(slackEnv({ KNOWLEDGE_DIR: kb }));
    const lines = expectRefusal(app, await app.waitExit(10_000), /kubernetes\.yaml/);
    expect(lines.find((l) => l.includes('kubernetes.yaml'))).toMatch(/field claim\b/);
  }, 15_000);

  it('no chat credentials and no TTY: prints how to connect and exits 0', async () => {
    const app = spawn({ DATABASE_PATH: join(dir, 'help.sqlite') });
    const exit = await app.waitExit(10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(app.stdout()).toContain('No chat platform is configured');
    expect(app.stdout()).toContain('SLACK_BOT_TOKEN');
    expect(app.stdout()).toContain('TEAMS_LOCAL=1');
    expect(app.stderr()).toBe('');
  }, 15_000);
});

// ---- A running app: readiness, metrics, the question cap ---------------------------------------------

describe('a running app', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await start();
    await api.waitFor('auth.test');
  });

  it('/healthz and /readyz answer 200 with every readiness check true', async () => {
    const health = await get(app.port, '/healthz');
    expect(health.status).toBe(200);
    const ready = await get(app.port, '/readyz');
    expect(ready.status).toBe(200);
    const body = JSON.parse(ready.body) as { ready: boolean; checks: Record<string, boolean>; knowledgeVersion: string };
    expect(body.ready).toBe(true);
    expect(body.checks).toEqual({ database: true, migrations: true, knowledge: true });
    expect(body.knowledgeVersion).toMatch(/\S/);
    // Unknown paths and wrong methods are 4xx, not handed to Bolt.
    expect((await get(app.port, '/nope')).status).toBe(404);
    expect((await rawRequest({ port: app.port, path: '/readyz', method: 'POST', body: '' })).status).toBe(405);
  });

  it('/metrics is Prometheus text with every metric, and counts a consultation by topic and surface', async () => {
    const first = await get(app.port, '/metrics');
    expect(first.status).toBe(200);
    expect(String(first.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'reality_check_consultations_total',
      'reality_check_http_handler_seconds',
      'reality_check_platform_api_requests_total',
      'reality_check_scheduler_lag_seconds',
      'reality_check_open_predictions',
      'reality_check_brier_score',
    ]) {
      expect(first.body).toMatch(new RegExp(`^# HELP ${name} `, 'm'));
      expect(first.body).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
    }
    expect(first.body).toMatch(/^# TYPE reality_check_http_handler_seconds histogram$/m);
    expect(first.body).toMatch(/^reality_check_http_handler_seconds_bucket\{[^}]*le="\+Inf"[^}]*route="\/healthz"[^}]*\} \d+$|^reality_check_http_handler_seconds_bucket\{[^}]*route="\/healthz"[^}]*le="\+Inf"[^}]*\} \d+$/m);
    expect(first.body).toMatch(/^reality_check_open_predictions 0$/m);
    // prom-client writes NaN as "Nan"; Prometheus parses either (Go's ParseFloat is case-insensitive).
    expect(first.body).toMatch(/^reality_check_brier_score NaN$/im);
    // Bolt's auth.test at start went through the counted client.
    expect(first.body).toMatch(/^reality_check_platform_api_requests_total\{[^}]*method="auth\.test"[^}]*outcome="ok"[^}]*\} [1-9]/m);
    expect(first.body).not.toMatch(/^reality_check_consultations_total\{/m);

    const sub = signedSubmission('VMETRICS1', 'me', 'UMETRICS');
    const res = await rawRequest({ port: app.port, path: '/slack/events', headers: sub.headers, body: sub.body });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const consultation = /^reality_check_consultations_total\{(?=[^}]*topic="kubernetes")(?=[^}]*surface="slack")[^}]*\} 1$/m;
    const text = await until('the consultation to be counted', async () => {
      const m = await get(app.port, '/metrics');
      return consultation.test(m.body) && /method="chat\.postMessage"[^}]*outcome="ok"/.test(m.body) ? m.body : undefined;
    });
    expect(text).toMatch(/^reality_check_open_predictions [1-9]\d*$/m);
    expect(text).toMatch(/^reality_check_http_handler_seconds_count\{route="\/slack\/events"\} [1-9]/m);
    expect(text).toMatch(/^reality_check_scheduler_lag_seconds 0$/m);
    // The verdict went to the asker, under the id the submission's view id determines.
    const dm = api.callsTo('chat.postMessage').find((c) => c.args.channel === 'UMETRICS');
    expect(JSON.stringify(dm?.args.blocks)).toContain(idFromKey('slack-view:T0001:VMETRICS1'));
  });

  it('a question over 2,000 characters gets a clear ephemeral message and no modal; 2,000 opens one', async () => {
    const long = `should we use kubernetes? ${'x'.repeat(2001 - 'should we use kubernetes? '.length)}`;
    expect(long).toHaveLength(2001);
    const opensBefore = api.callsTo('views.open').length;
    const tooLong = signedCommand(long, { trigger_id: 'trigger-too-long' });
    const res = await rawRequest({ port: app.port, path: '/slack/events', headers: tooLong.headers, body: tooLong.body });
    expect(res.status).toBe(200);
    const reply = JSON.parse(res.body) as { response_type: string; text: string };
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('2001 characters');
    expect(reply.text).toContain('the limit is 2000');
    expect(reply.text).toMatch(/nothing was saved/i);

    const atLimit = signedCommand(long.slice(0, 2000), { trigger_id: 'trigger-at-limit' });
    const ok = await rawRequest({ port: app.port, path: '/slack/events', headers: atLimit.headers, body: atLimit.body });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('');
    await api.waitFor('views.open', opensBefore + 1);
    const opened = api.callsTo('views.open').slice(opensBefore);
    expect(opened.map((c) => c.args.trigger_id)).toEqual(['trigger-at-limit']);
  });

  it('stays healthy through all of it', async () => {
    expect(app.exit).toBeNull();
    expect(app.stderr()).toBe('');
    expect(app.logs().filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});

// ---- A Bolt handler still running after its ack ------------------------------------------------------

describe('shutdown while a handler is still working after its ack', () => {
  let proxy: Server;
  let proxyUrl: string;
  let delayNext = false;
  const arrived: string[] = [];

  beforeAll(async () => {
    // In front of the fake Web API: holds the first chat.postMessage after `delayNext` for 800 ms, so
    // the view_submission handler (acked at once, processBeforeResponse: false) is still running.
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
        arrived.push(method);
        const hold = method === 'chat.postMessage' && delayNext;
        if (hold) delayNext = false;
        setTimeout(() => {
          void fetch(`${api.url}${method}`, { method: 'POST', headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: Buffer.concat(chunks) }).then(async (r) => {
            res.writeHead(r.status, { 'content-type': 'application/json' });
            res.end(await r.text());
          }).catch(() => res.destroy());
        }, hold ? 800 : 0);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  });

  it('SIGTERM right after a thread-visibility submission was acked: exits 0 after the threaded verdict was posted', async () => {
    const app = await start({ SLACK_API_URL: proxyUrl, SHUTDOWN_GRACE_MS: '3000' });
    await until('auth.test through the proxy', () => (arrived.includes('auth.test') ? true : undefined), 5_000);
    const postsBefore = api.callsTo('chat.postMessage').length;
    delayNext = true;
    const sub = signedSubmission('VSHUTDOWN1', 'thread', 'USHUTDOWN');
    const res = await rawRequest({ port: app.port, path: '/slack/events', headers: sub.headers, body: sub.body });
    expect(res.status).toBe(200);
    // The parent post is on its way (held by the proxy); the handler awaits it, then posts in the thread.
    await until('the parent post to leave the app', () => (arrived.filter((m) => m === 'chat.postMessage').length > 0 ? true : undefined), 5_000, 5);
    app.child.kill('SIGTERM');
    const exit = await app.waitExit(5_000);
    expect(exit).toEqual({ code: 0, signal: null });
    // What left the app before it exited is final: count what reached the proxy.
    const posted = arrived.filter((m) => m === 'chat.postMessage').length;
    const db = openDatabase(join(dir, `db-${dbSeq}.sqlite`));
    const stored = db.prepare('SELECT COUNT(*) AS n FROM consultations WHERE id = ?').get(idFromKey('slack-view:T0001:VSHUTDOWN1')) as { n: number };
    db.close();
    console.log(`shutdown during a handler: exit ${JSON.stringify(exit)}; ${posted} of 2 posts (parent + threaded verdict) left the app; consultation stored: ${stored.n === 1}; warnings/errors logged: ${app.logs().filter((l) => Number(l.level) >= 40).length}`);
    expect(stored.n).toBe(1);
    expect(posted).toBeGreaterThanOrEqual(1);
    // Shutdown waits for listeners still working after their ack: the threaded verdict went out too.
    expect(posted).toBe(2);
    // Make sure the parent the proxy held was delivered before the fake is stopped.
    await api.waitFor('chat.postMessage', postsBefore + 1, 5_000);
  }, 15_000);
});
