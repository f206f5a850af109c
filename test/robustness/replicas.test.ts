// Two replicas of the app (as `npm start` runs it) on one PostgreSQL database, serving two workspaces
// installed through Slack's OAuth flow: any replica takes any request, and nothing crosses workspaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.js';
import { createTestDatabase, onDatabase, pgAvailable, POSTGRES_REQUIRED, serverLabel, type TestDatabase } from '../helpers/postgres.js';
import { blocksOf, checkpoint, KUBERNETES_ANSWERS, messageAction, postedTs, SECRET, slackPeer, viewSubmission, type SlackPeer, type ViewArg } from '../slack/harness.js';
import { killHard, startApp, until, type RunningApp } from './app-process.js';

const available = await pgAvailable();
if (!available && POSTGRES_REQUIRED) throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${serverLabel()} cannot be reached`);
if (!available) console.warn(`replicas.test.ts skipped: no PostgreSQL at ${serverLabel()} (set TEST_DATABASE_URL, or REQUIRE_POSTGRES=1 to fail instead)`);

const KEY = Buffer.alloc(32, 7).toString('base64');
const STATE_SECRET = 'state-secret-for-the-replica-tests';
const T1 = 'T0001';
const T2 = 'T0002';

let api: FakeSlackApi;
let db: TestDatabase;
let a: RunningApp;
let b: RunningApp;
const peers: Record<string, SlackPeer> = {};

function env(): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    SLACK_CLIENT_ID: 'fake-client-id',
    SLACK_CLIENT_SECRET: 'fake-client-secret',
    SLACK_STATE_SECRET: STATE_SECRET,
    SLACK_SIGNING_SECRET: SECRET,
    TOKEN_ENCRYPTION_KEY: KEY,
    SLACK_API_URL: api.url,
    SCHEDULER_INTERVAL_MS: '100',
    RATE_LIMIT_PER_HOUR: '3',
    // The cache is what makes a repeated lookup cheap; here it is short so uninstalls show at once.
    INSTALLATION_CACHE_MS: '50',
  };
}

/** Runs the install flow: start on one replica, finish (code exchange) on another. */
async function install(start: RunningApp, finish: RunningApp, team: string, options: { cookie?: 'keep' | 'drop'; state?: string } = {}): Promise<Response> {
  const begin = await fetch(`${start.base}/slack/install`, { redirect: 'manual' });
  expect(begin.status).toBe(302);
  const location = new URL(begin.headers.get('location')!);
  const state = options.state ?? location.searchParams.get('state')!;
  const cookie = begin.headers.get('set-cookie')?.split(';')[0] ?? '';
  api.codes.set(`code-${team}`, { team });
  return fetch(`${finish.base}/slack/oauth_redirect?code=code-${team}&state=${encodeURIComponent(state)}`, {
    redirect: 'manual',
    headers: options.cookie === 'drop' ? {} : { cookie },
  });
}

async function stored<T>(sql: string, values: unknown[] = []): Promise<T[]> {
  return onDatabase(db.url, async (client) => (await client.query(sql, values)).rows as T[]);
}

const tokenOf = (team: string): string | undefined => [...api.issued.entries()].filter(([, v]) => v.team === team).map(([token]) => token).pop();

describe.skipIf(!available)('two replicas on one PostgreSQL, two workspaces installed by OAuth', () => {
  beforeAll(async () => {
    api = new FakeSlackApi();
    await api.start();
    db = await createTestDatabase();
    // Started together against the empty database: the migration runs once, under a lock.
    [a, b] = await Promise.all([startApp(env()), startApp(env())]);
    peers.a = slackPeer(api, () => a.port);
    peers.b = slackPeer(api, () => b.port);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([killHard(a), killHard(b)]);
    await api?.stop();
    await db?.drop();
  });

  it('migrated the empty database exactly once while both replicas started', async () => {
    const rows = await stored<{ version: number }>('SELECT version FROM schema_migrations');
    expect(rows.map((r) => r.version)).toEqual([...new Set(rows.map((r) => r.version))]);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('refuses a forged state and a redirect without the state cookie', async () => {
    const forged = await install(a, b, 'T0666', { state: 'forged-state' });
    expect(forged.status).not.toBe(200);
    const noCookie = await install(a, b, 'T0667', { cookie: 'drop' });
    expect(noCookie.status).not.toBe(200);
    expect(await stored('SELECT install_key FROM installations')).toEqual([]);
  });

  it('installs two workspaces, each started on one replica and finished on the other', async () => {
    expect((await install(a, b, T1)).status).toBe(200);
    expect((await install(b, a, T2)).status).toBe(200);
    const rows = await stored<{ install_key: string }>('SELECT install_key FROM installations ORDER BY install_key');
    expect(rows.map((r) => r.install_key)).toEqual([T1, T2]);
  });

  it('keeps no token in plain text anywhere in the database', async () => {
    const dump = JSON.stringify(await stored('SELECT * FROM installations'));
    for (const token of api.issued.keys()) expect(dump).not.toContain(token);
    expect(dump).not.toContain('xoxb-');
    expect(dump).not.toContain('fake-client-secret');
  });

  it('a consultation opened on one replica and submitted on the other goes out with its own workspace token', async () => {
    const trigger = 'trigger-replica-1';
    const opened = checkpoint(api);
    expect((await peers.a!.command('should we use kubernetes?', { trigger_id: trigger, user_id: 'UASK1' })).status).toBe(200);
    const [open] = await opened.wait('views.open');
    expect(open!.token).toBe(tokenOf(T1));
    const view = open!.args.view as ViewArg;
    const posted = checkpoint(api);
    const res = await peers.b!.interact(viewSubmission({ viewId: 'VREPLICA1', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'channel', user: 'UASK1' }));
    expect(res.status).toBe(200);
    const [verdict] = await posted.wait('chat.postMessage');
    expect(verdict!.token).toBe(tokenOf(T1));
    const rows = await stored<{ workspace: string; user_id: string }>("SELECT workspace, user_id FROM consultations WHERE user_id = 'UASK1'");
    expect(rows).toEqual([{ workspace: T1, user_id: 'UASK1' }]);
  });

  it("one workspace never sees another's consultations", async () => {
    const mark = checkpoint(api);
    expect((await peers.b!.command('list', { team_id: T2, user_id: 'UASK1', response_url: api.responseUrl('list-t2') })).status).toBe(200);
    const [reply] = await mark.wait('response_url');
    expect(String(reply!.args.text)).toContain('no consultations yet');
  });

  it('a DM questionnaire continues whichever replica takes each click', async () => {
    const DM = 'D0REPLICA';
    const threadTs = '1700020000.000100';
    const mark = checkpoint(api);
    expect((await peers.a!.event({ type: 'message', channel: DM, channel_type: 'im', user: 'UDM1', text: 'should we split our monolith into microservices?', ts: threadTs, event_ts: threadTs, team: T1 }, 'EvReplicaDm1')).status).toBe(200);
    let [message] = (await mark.wait('chat.postMessage')) as [RecordedCall];
    const messageTs = postedTs(message);
    let clicks = 0;
    for (;;) {
      const block = blocksOf(message).find((bl) => bl.block_id?.startsWith('answer:'));
      const button = block?.elements?.[0];
      if (!block || !button || clicks > 20) break;
      const step = checkpoint(api);
      const peer = clicks % 2 === 0 ? peers.b! : peers.a!;
      const res = await peer.interact(messageAction({ channel: DM, messageTs, threadTs, user: 'UDM1', action: { type: 'button', action_id: button.action_id, block_id: block.block_id, value: button.value } }));
      expect(res.status).toBe(200);
      [message] = (await step.wait('chat.update')) as [RecordedCall];
      clicks++;
    }
    expect(clicks).toBeGreaterThanOrEqual(3);
    const rows = await stored<{ topic: string }>("SELECT topic FROM consultations WHERE user_id = 'UDM1'");
    expect(rows).toEqual([{ topic: 'microservices' }]);
  });

  it('a retried delivery that lands on the other replica is still handled once', async () => {
    const ts = '1700020100.000100';
    const event = { type: 'message', channel: 'D0RETRY', channel_type: 'im', user: 'URETRY', text: 'thanks!', ts, event_ts: ts, team: T1 };
    const mark = checkpoint(api);
    expect((await peers.a!.event(event, 'EvReplicaRetry')).status).toBe(200);
    expect((await peers.b!.event(event, 'EvReplicaRetry', { retryNum: 1 })).status).toBe(200);
    await mark.wait('chat.postMessage');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(mark.calls('chat.postMessage').filter((c) => c.args.channel === 'D0RETRY')).toHaveLength(1);
  });

  it('holds the per-user rate limit across replicas', async () => {
    const statuses: string[] = [];
    for (let i = 0; i < 4; i++) {
      const peer = i % 2 === 0 ? peers.a! : peers.b!;
      const res = await peer.command(`should we use kubernetes? (${i})`, { user_id: 'ULIMIT', trigger_id: `trigger-limit-${i}` });
      statuses.push((await res.text()).includes('a lot of consultations') ? 'limited' : 'ok');
    }
    expect(statuses).toEqual(['ok', 'ok', 'ok', 'limited']);
  });

  it('sends check-ins that fall due at once exactly once across both replicas, each with its workspace token', async () => {
    const mark = checkpoint(api);
    await stored("UPDATE scheduled_jobs SET due_at = 0 WHERE kind = 'check-in' AND done_at IS NULL");
    const jobs = await stored<{ job_key: string }>("SELECT job_key FROM scheduled_jobs WHERE kind = 'check-in'");
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    await until('every check-in done', async () => ((await stored<{ n: number }>("SELECT COUNT(*)::int AS n FROM scheduled_jobs WHERE kind = 'check-in' AND done_at IS NULL"))[0]!.n === 0 ? true : undefined), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const checkIns = mark.calls('chat.postMessage').filter((c) => String(c.args.text).startsWith('Check-in'));
    expect(checkIns).toHaveLength(jobs.length);
    for (const c of checkIns) expect(c.token).toBe(tokenOf(T1));
  });

  it('uninstalling deletes that workspace’s tokens and stops its scheduled sends, and only its', async () => {
    await stored("INSERT INTO scheduled_jobs (workspace, kind, job_key, due_at, payload_json, created_at) VALUES ($1, 'digest', 'digest:T0002:test', 9999999999999, '{}', 0)", [T2]);
    const body = JSON.stringify({ token: 'deprecated', team_id: T2, api_app_id: 'A0001', event: { type: 'app_uninstalled', event_ts: '1700020200.0001' }, type: 'event_callback', event_id: 'EvUninstall2', event_time: 1700020200, authorizations: [{ team_id: T2, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }] });
    expect((await peers.b!.post(body, 'application/json')).status).toBe(200);
    await until('T0002 tokens deleted', async () => ((await stored("SELECT 1 FROM installations WHERE install_key = 'T0002'")).length === 0 ? true : undefined));
    expect(await stored("SELECT job_key FROM scheduled_jobs WHERE workspace = 'T0002' AND done_at IS NULL")).toEqual([]);
    expect(await stored("SELECT install_key FROM installations")).toEqual([{ install_key: T1 }]);
  });

  it('never writes a token to the logs', () => {
    const logs = a.stdout() + a.stderr() + b.stdout() + b.stderr();
    expect(logs.length).toBeGreaterThan(0);
    for (const token of api.issued.keys()) expect(logs).not.toContain(token);
    expect(logs).not.toContain('fake-client-secret');
  });

  it('every acknowledged consultation survives a replica killed mid-burst', async () => {
    const views = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const trigger = `trigger-burst-${i}`;
        await peers.b!.command('should we use kubernetes?', { trigger_id: trigger, user_id: `UBURST${i}` });
        const call = await until(`views.open ${trigger}`, () => api.callsTo('views.open').find((c) => c.args.trigger_id === trigger));
        return call.args.view as ViewArg;
      }),
    );
    const sends = views.map((view, i) => {
      const peer = i % 2 === 0 ? peers.a! : peers.b!;
      return peer
        .interact(viewSubmission({ viewId: `VBURST${i}`, privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'me', user: `UBURST${i}` }))
        .then((r) => ({ i, ok: r.status === 200 }), () => ({ i, ok: false }));
    });
    setTimeout(() => a.child.kill('SIGKILL'), 5);
    const results = await Promise.all(sends);
    const acked = results.filter((r) => r.ok).map((r) => `UBURST${r.i}`);
    const saved = (await stored<{ user_id: string }>("SELECT user_id FROM consultations WHERE user_id LIKE 'UBURST%'")).map((r) => r.user_id);
    for (const user of acked) expect(saved).toContain(user);
    expect(acked.length).toBeGreaterThan(0);
  });
});
