// The JSON-bodied Web API call used for the slash command's views.open, against the local fake Slack API:
// it authenticates, retries what the Web API client retries, and gives up on errors that cannot heal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callForm, callJson, SlackCallError, type JsonPost } from '../../src/slack/json-call.js';
import { undiciPost } from '../../src/undici-fetch.js';
import { FakeSlackApi } from '../fakes/slack-api.js';

let api: FakeSlackApi;
let apiUrl: string;
const view = JSON.stringify({ type: 'modal', title: { type: 'plain_text', text: 'Reality check' }, blocks: [] });
const body = (trigger: string): string => `{"trigger_id":${JSON.stringify(trigger)},"view":${view}}`;
const noSleep = async (): Promise<void> => undefined;

beforeAll(async () => {
  api = new FakeSlackApi();
  apiUrl = await api.start();
});

afterAll(async () => {
  await api?.stop();
});

describe('callJson', () => {
  it('sends the JSON body with the bearer token and returns what Slack answered', async () => {
    const result = await callJson({ apiUrl, token: 'xoxb-test' }, 'views.open', body('t-ok'));
    expect(result.ok).toBe(true);
    const call = api.callsTo('views.open').at(-1)!;
    expect(call.args).toEqual({ trigger_id: 't-ok', view: JSON.parse(view) });
    expect((result.view as { id: string }).id).toMatch(/^V/);
  });

  it('is refused without a token, as Slack refuses it', async () => {
    const error = await callJson({ apiUrl, token: '' }, 'views.open', body('t-no-token')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackCallError);
    expect((error as SlackCallError).slackError).toBe('not_authed');
  });

  it('retries a 429 after Retry-After and a 500, then succeeds', async () => {
    const waits: number[] = [];
    api.failNext('views.open', { status: 429, headers: { 'retry-after': '1' } });
    api.failNext('views.open', { status: 500 });
    const before = api.callsTo('views.open').length;
    const result = await callJson({ apiUrl, token: 'xoxb-test', sleep: async (ms) => void waits.push(ms) }, 'views.open', body('t-retry'));
    expect(result.ok).toBe(true);
    expect(api.callsTo('views.open').slice(before).map((c) => c.status)).toEqual([429, 500, 200]);
    expect(waits).toEqual([1000, 200]);
  });

  it('does not retry an error Slack gave as an answer (an expired trigger stays expired)', async () => {
    api.failNext('views.open', { status: 200, body: { ok: false, error: 'expired_trigger_id' } });
    const before = api.callsTo('views.open').length;
    const error = await callJson({ apiUrl, token: 'xoxb-test', sleep: noSleep }, 'views.open', body('t-expired')).catch((e: unknown) => e);
    expect((error as SlackCallError).slackError).toBe('expired_trigger_id');
    expect((error as SlackCallError).code).toBe('PLATFORM_FAILED');
    expect(api.callsTo('views.open').length - before).toBe(1);
  });

  it('stops retrying when the next wait would outlive the trigger id', async () => {
    api.failNext('views.open', { status: 429, headers: { 'retry-after': '30' } });
    const before = api.callsTo('views.open').length;
    const error = await callJson({ apiUrl, token: 'xoxb-test', sleep: noSleep }, 'views.open', body('t-late')).catch((e: unknown) => e);
    expect((error as SlackCallError).slackError).toBe('ratelimited');
    expect(api.callsTo('views.open').length - before).toBe(1);
  });

  it('retries a network failure and reports it once the deadline has passed', async () => {
    const waits: number[] = [];
    const error = await callJson(
      { apiUrl: 'http://127.0.0.1:9/api/', token: 'xoxb-test', deadlineMs: 500, sleep: async (ms) => void waits.push(ms) },
      'views.open',
      body('t-down'),
    ).catch((e: unknown) => e);
    expect((error as SlackCallError).slackError).toMatch(/^network_error/);
    // Backoff doubles from 100 ms; the next wait (800 ms) would pass the 500 ms deadline, so it gives up.
    expect(waits).toEqual([100, 200, 400]);
  });
});

describe('callForm', () => {
  it('sends a read method form-encoded with the bearer token, and retries as callJson does', async () => {
    const sent: Array<{ type: string | undefined; body: string }> = [];
    const post: JsonPost = (url, headers, body, timeoutMs) => {
      sent.push({ type: headers['content-type'], body });
      return undiciPost(url, headers, body, timeoutMs);
    };
    api.failNext('users.info', { status: 500 });
    const result = await callForm({ apiUrl, token: 'xoxb-form', post, sleep: noSleep }, 'users.info', { user: 'U0042' });
    expect((result.user as { id: string }).id).toBe('U0042');
    expect(sent).toEqual([
      { type: 'application/x-www-form-urlencoded', body: 'user=U0042' },
      { type: 'application/x-www-form-urlencoded', body: 'user=U0042' },
    ]);
    expect(api.callsTo('users.info').at(-1)).toMatchObject({ args: { user: 'U0042' }, token: 'xoxb-form', status: 200 });
  });
});
