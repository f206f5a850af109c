// Every Web API attempt is counted by method and outcome, whichever way it was sent: through the Web API
// client's fetch or the slash command's JSON post.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countingPost, createMetrics } from '../../src/metrics.js';
import { callJson } from '../../src/slack/json-call.js';
import { undiciPost } from '../../src/undici-fetch.js';
import { FakeSlackApi } from '../fakes/slack-api.js';

let api: FakeSlackApi;
let apiUrl: string;

beforeAll(async () => {
  api = new FakeSlackApi();
  apiUrl = await api.start();
});

afterAll(async () => {
  await api?.stop();
});

describe('countingPost', () => {
  it('counts each views.open attempt: a 500 retried, then ok', async () => {
    const metrics = createMetrics({ schedulerLagSeconds: async () => 0, openPredictions: async () => 0, latestBrier: async () => null, databaseUp: async () => 1 });
    api.failNext('views.open', { status: 500 });
    const post = countingPost(metrics, 'slack', undiciPost);
    await callJson({ apiUrl, token: 'xoxb-test', post, sleep: async () => undefined }, 'views.open', '{"trigger_id":"t","view":{"type":"modal","title":{"type":"plain_text","text":"x"},"blocks":[]}}');
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/reality_check_platform_api_requests_total\{[^}]*method="views\.open"[^}]*outcome="http_error"[^}]*\} 1/);
    expect(text).toMatch(/reality_check_platform_api_requests_total\{[^}]*method="views\.open"[^}]*outcome="ok"[^}]*\} 1/);
    expect(text).toMatch(/reality_check_platform_api_retries_total\{[^}]*method="views\.open"[^}]*\} 1/);
  });
});
