import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startServer, type Running } from '../../src/server/start.js';
import { FakeSlackApi } from '../fakes/slack-api.js';
import { signed, slashCommandBody } from '../fakes/slack-signing.js';

const SECRET = 'test-signing-secret';
let api: FakeSlackApi;
let app: Running;
let base: string;

beforeAll(async () => {
  api = new FakeSlackApi();
  const url = await api.start();
  const dir = mkdtempSync(join(tmpdir(), 'rc-slack-'));
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: url, PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'db.sqlite'), LOG_LEVEL: 'silent' });
  app = await startServer(config, { logger: createLogger('silent') });
  base = `http://127.0.0.1:${app.port}`;
});

afterAll(async () => {
  await app?.stop();
  await api?.stop();
});

describe('slack smoke', () => {
  it('opens the modal for a signed slash command', async () => {
    const req = signed(SECRET, slashCommandBody({ text: 'should we use kubernetes?' }), 'application/x-www-form-urlencoded');
    const res = await fetch(`${base}/slack/events`, { method: 'POST', headers: req.headers, body: req.body });
    expect(res.status).toBe(200);
    await api.waitFor('views.open');
    const view = api.callsTo('views.open')[0]!.args.view as { blocks: unknown[]; private_metadata: string };
    expect(JSON.parse(view.private_metadata).topic).toBe('kubernetes');
  });
});
