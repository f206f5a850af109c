// PostgreSQL goes away under load and comes back: /readyz says so, users are told to try again (never
// Slack's own error), nothing acknowledged is lost, and the app recovers without a restart. The outage
// is a TCP proxy in front of the machine's server cutting every connection, so other suites keep theirs.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { createTestDatabase, onDatabase, pgAvailable, POSTGRES_REQUIRED, serverLabel, TEST_SERVER_URL, type TestDatabase } from '../helpers/postgres.js';
import { KUBERNETES_ANSWERS, openModal, SECRET, slackPeer, viewSubmission, type SlackPeer, type ViewArg } from '../slack/harness.js';
import { killHard, startApp, until, type RunningApp } from './app-process.js';

const available = await pgAvailable();
if (!available && POSTGRES_REQUIRED) throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but ${serverLabel()} cannot be reached`);
if (!available) console.warn(`postgres-outage.test.ts skipped: no PostgreSQL at ${serverLabel()}`);

/** Forwards to PostgreSQL until cut(); while cut, every connection (old and new) is dropped at once. */
class CuttableProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private cutOff = false;
  port = 0;

  async start(target: { host: string; port: number }): Promise<void> {
    this.server = createServer((client) => {
      if (this.cutOff) return void client.destroy();
      const upstream = connect(target.port, target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }

  cut(): void {
    this.cutOff = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.cutOff = false;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

let api: FakeSlackApi;
let db: TestDatabase;
let proxy: CuttableProxy;
let app: RunningApp;
let slack: SlackPeer;

async function readyStatus(): Promise<number> {
  return (await fetch(`${app.base}/readyz`)).status;
}

describe.skipIf(!available)('PostgreSQL stopped and restarted under load', () => {
  beforeAll(async () => {
    api = new FakeSlackApi();
    await api.start();
    db = await createTestDatabase();
    const server = new URL(TEST_SERVER_URL);
    proxy = new CuttableProxy();
    await proxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    app = await startApp({ DATABASE_URL: url.toString(), SLACK_BOT_TOKEN: 'xoxb-outage', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api.url, SCHEDULER_INTERVAL_MS: '0', RATE_LIMIT_PER_HOUR: '10000' });
    slack = slackPeer(api, () => app.port);
  }, 30_000);

  afterAll(async () => {
    const exit = await app?.waitExit(1000);
    if (exit) console.error('the app exited during the test:', exit, app.stderr().slice(-3000), app.stdout().slice(-3000));
    await killHard(app);
    await proxy?.stop();
    await api?.stop();
    await db?.drop();
  });

  it('is ready while the database answers', async () => {
    expect(await readyStatus()).toBe(200);
  });

  it('says not ready, and tells users to try again, while the database is unreachable; then recovers without a restart', async () => {
    const views: ViewArg[] = [];
    for (let i = 0; i < 4; i++) views.push(await openModal(slack, 'should we use kubernetes?'));
    let seq = 0;
    const acked: string[] = [];
    const refused: string[] = [];
    const submit = async (): Promise<void> => {
      const i = seq++;
      const viewId = `VOUTAGE${i}`;
      const res = await slack.interact(viewSubmission({ viewId, privateMetadata: views[i % views.length]!.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'me', user: `UOUT${i}` }));
      // Never an error Slack would show: 200, with the modal kept open (errors) when nothing was saved.
      expect(res.status).toBe(200);
      const text = await res.text();
      if (text.includes('"response_action":"errors"')) {
        expect(text).toContain('try again');
        refused.push(viewId);
      } else acked.push(`UOUT${i}`);
    };
    const load = (async () => {
      for (let round = 0; round < 24; round++) {
        await Promise.all([submit(), submit()]);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 100));
    proxy.cut();
    await until('readyz 503', async () => ((await readyStatus()) === 503 ? true : undefined), 10_000);
    const command = await slack.command('should we use kubernetes?', { user_id: 'UOUTCMD' });
    expect(command.status).toBe(200);
    expect(await command.text()).toContain('try again');
    await new Promise((resolve) => setTimeout(resolve, 300));
    proxy.restore();
    await until('readyz 200 again', async () => ((await readyStatus()) === 200 ? true : undefined), 15_000);
    await load;

    expect(refused.length).toBeGreaterThan(0);
    expect(acked.length).toBeGreaterThan(0);
    const saved = await onDatabase(db.url, async (c) => (await c.query<{ user_id: string }>("SELECT user_id FROM consultations WHERE user_id LIKE 'UOUT%'")).rows.map((r) => r.user_id));
    // Every acknowledged submission is stored (a refused one may have committed just before the cut: the
    // same view submitted again then finds it, as the retry below does for another).
    for (const user of acked) expect(saved).toContain(user);
    expect(app.exit).toBeNull();
    // And the same submission, sent again after the outage, is saved.
    const retry = await slack.interact(viewSubmission({ viewId: refused[0]!, privateMetadata: views[0]!.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'me', user: 'UOUTRETRY' }));
    expect(await retry.text()).not.toContain('response_action');
  }, 60_000);
});
