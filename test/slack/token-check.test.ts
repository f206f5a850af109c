// The bot token is checked with auth.test before the server listens. A token Slack refuses, or a Slack
// that cannot be reached, stops the start with a sentence saying what to fix (Bolt, left to itself, made
// the call from its constructor and crashed the process on the rejection before any request came). A
// start that stops, for that or a port already taken, leaves the database closed.
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { isAppError } from '../../src/errors.js';
import { createLogger } from '../../src/log.js';
import { startServer } from '../../src/server/start.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';
import { slackAppEnv, slackPeer } from './harness.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  removeTempDirs();
});

const tempDb = (): string => join(makeTempDir('rc-token-'), 'db.sqlite');

async function startFailure(env: Record<string, string>): Promise<unknown> {
  return startServer(loadConfig(env), { logger: createLogger('silent') }).then(
    async (running) => {
      await running.stop();
      throw new Error('the server started');
    },
    (error: unknown) => error,
  );
}

/** SQLite removes the write-ahead log when its last connection closes: an open store keeps it. */
function expectClosed(db: string): void {
  expect(existsSync(db)).toBe(true);
  expect(existsSync(`${db}-wal`)).toBe(false);
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the bot token, checked at start', () => {
  it('a token Slack refuses stops the start with what to do, and leaves the database closed', async () => {
    const api = new FakeSlackApi();
    const url = await api.start();
    cleanup.push(() => api.stop());
    api.failNext('auth.test', { status: 200, body: { ok: false, error: 'invalid_auth' } });
    const db = tempDb();
    const error = await startFailure(slackAppEnv(url, db));
    expect(isAppError(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toBe("Slack refused SLACK_BOT_TOKEN (auth.test: invalid_auth). Copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page.");
    expect(api.callsTo('auth.test')).toHaveLength(1);
    expectClosed(db);
  });

  it('a Slack that cannot be reached stops the start with where it looked', async () => {
    const port = await closedPort();
    const error = await startFailure(slackAppEnv(`http://127.0.0.1:${port}/api/`, tempDb()));
    expect(isAppError(error) && error.code).toBe('PLATFORM_FAILED');
    expect((error as Error).message).toMatch(new RegExp(`^could not reach Slack's API at http://127\\.0\\.0\\.1:${port}/api/ to check SLACK_BOT_TOKEN \\(.+\\); check the network, or SLACK_API_URL if it is set\\.$`));
  }, 20_000);

  it('a port already taken stops the start and leaves the database closed', async () => {
    const api = new FakeSlackApi();
    const url = await api.start();
    cleanup.push(() => api.stop());
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const db = tempDb();
    const error = await startFailure({ ...slackAppEnv(url, db), PORT: String((taken.address() as { port: number }).port) });
    expect((error as Error).message).toMatch(/EADDRINUSE/);
    expectClosed(db);
  });

  it('a good token starts the server after one auth.test, and no request calls it again', async () => {
    const api = new FakeSlackApi();
    const url = await api.start();
    cleanup.push(() => api.stop());
    const running = await startServer(loadConfig(slackAppEnv(url, tempDb())), { logger: createLogger('silent') });
    cleanup.push(() => running.stop());
    expect(api.callsTo('auth.test')).toHaveLength(1);
    const peer = slackPeer(api, () => running.port);
    for (const text of ['should we use Kubernetes?', 'should we adopt microservices?']) {
      expect((await peer.command(text)).status).toBe(200);
    }
    await api.waitFor('views.open', 2);
    expect(api.callsTo('auth.test')).toHaveLength(1);
  });
});
