// What stands between the internet and the app: Slack's request signature, the body guard in front of
// Bolt, per-user rate limits and the question length limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slashCommandBody } from '../fakes/slack-signing.js';
import {
  checkpoint,
  FORM,
  JSON_TYPE,
  KUBERNETES_ANSWERS,
  openModal,
  startSlackApp,
  TEAM,
  USER,
  viewSubmission,
  type SlackHarness,
} from './harness.js';

function consultationCount(h: SlackHarness): number {
  return h.query((db) => (db.prepare('SELECT COUNT(*) AS n FROM consultations').get() as { n: number }).n);
}

describe('request signatures', () => {
  let h: SlackHarness;
  let metadata: string;

  beforeAll(async () => {
    h = await startSlackApp();
    metadata = (await openModal(h, 'should we use kubernetes?')).private_metadata!;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const submission = (viewId: string) => viewSubmission({ viewId, privateMetadata: metadata, answers: KUBERNETES_ANSWERS, visibility: 'channel' });

  it('a request signed with the wrong secret is refused with 401 and does nothing', async () => {
    const before = h.api.calls.length;
    const command = await h.command('should we use kubernetes?', { trigger_id: 'forged-1' }, { secret: 'not-the-secret' });
    expect(command.status).toBe(401);
    const submit = await h.interact(submission('VFORGED1'), { secret: 'not-the-secret' });
    expect(submit.status).toBe(401);
    // Bolt answers 401 before any listener runs, so nothing can happen after the response.
    expect(h.api.calls.length).toBe(before);
    expect(consultationCount(h)).toBe(0);
  });

  it('a correctly signed request with a timestamp 10 minutes old is refused with 401 (replay)', async () => {
    const stale = Math.floor(Date.now() / 1000) - 600;
    const before = h.api.calls.length;
    const command = await h.command('should we use kubernetes?', { trigger_id: 'stale-1' }, { timestamp: stale });
    expect(command.status).toBe(401);
    const submit = await h.interact(submission('VSTALE1'), { timestamp: stale });
    expect(submit.status).toBe(401);
    // As above: refused before any listener, so no call can follow.
    expect(h.api.calls.length).toBe(before);
    expect(consultationCount(h)).toBe(0);
  });

  it('a request without signature headers is refused with 401', async () => {
    const before = h.api.calls.length;
    const res = await fetch(`${h.base}/slack/events`, { method: 'POST', headers: { 'content-type': FORM }, body: slashCommandBody({ text: 'should we use kubernetes?' }) });
    expect(res.status).toBe(401);
    expect(h.api.calls.length).toBe(before);
  });

  it('the same, correctly signed and fresh, is accepted (the refusals above are about the signature)', async () => {
    const mark = checkpoint(h.api);
    const res = await h.interact(submission('VSIGNED1'));
    expect(res.status).toBe(200);
    await mark.wait('chat.postMessage');
    expect(consultationCount(h)).toBe(1);
  });
});

describe('the body guard in front of Bolt', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackApp();
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function healthy(): Promise<void> {
    const res = await fetch(`${h.base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  }

  it('a signed JSON null is refused with 400 and the server keeps answering', async () => {
    const before = h.api.calls.length;
    const res = await h.post('null', JSON_TYPE);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'body must be a JSON object' });
    await healthy();
    expect(h.api.calls.length).toBe(before);
  });

  it('a signed event_callback whose event is null is refused with 400', async () => {
    const res = await h.post(JSON.stringify({ type: 'event_callback', event: null, team_id: TEAM, event_id: 'EvNull' }), JSON_TYPE);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'event_callback without an event object' });
    await healthy();
  });

  it('signed bodies that are not JSON objects or Slack forms are refused with 400', async () => {
    expect((await h.post('[1,2,3]', JSON_TYPE)).status).toBe(400);
    expect((await h.post('{not json', JSON_TYPE)).status).toBe(400);
    expect((await h.post('payload=%7Bbroken', FORM)).status).toBe(400);
    expect((await h.post('payload=null', FORM)).status).toBe(400);
    expect((await h.post('hello=world', FORM)).status).toBe(400);
    // A slash command that does not say whose it is: nothing downstream could key it (rate limit, storage).
    expect((await h.post('command=%2Freality-check&text=should+we&user_id=U1', FORM)).status).toBe(400);
    expect((await h.post('command=%2Freality-check&text=should+we&team_id=T1', FORM)).status).toBe(400);
    await healthy();
  });

  it('a wrong content type is refused with 415', async () => {
    const res = await h.post(slashCommandBody({ text: 'should we use kubernetes?' }), 'text/plain');
    expect(res.status).toBe(415);
    await healthy();
  });

  it('a body over 1 MiB is refused with 413', async () => {
    const before = h.api.calls.length;
    const big = JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'EvBig', event: { type: 'message', text: 'x'.repeat(1024 * 1024) } });
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024);
    const res = await h.post(big, JSON_TYPE);
    expect(res.status).toBe(413);
    await healthy();
    expect(h.api.calls.length).toBe(before);
  });

  it('a body just under 1 MiB passes the guard (and is then judged by its signature)', async () => {
    const body = JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'EvAlmostBig', event: { type: 'app_mention', text: 'x'.repeat(1024 * 1024 - 200) } });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1024 * 1024);
    expect((await h.post(body, JSON_TYPE)).status).toBe(200);
    expect((await h.post(body, JSON_TYPE, { secret: 'wrong' })).status).toBe(401);
  });
});

describe('rate limit (RATE_LIMIT_PER_HOUR=2)', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackApp({ RATE_LIMIT_PER_HOUR: '2' });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('the third question within the hour gets a friendly ephemeral reply and no modal', async () => {
    await openModal(h, 'should we use kubernetes?');
    await openModal(h, 'should we use kubernetes?');

    const res = await h.command('should we use kubernetes?', { trigger_id: 'rate-limited-3' });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { response_type: string; text: string };
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('try again a little later');
    expect(reply.text).toContain('/reality-check list');

    // Observable later event: another user's modal opens (the limit is per user); a views.open for the
    // refused command would have been made before it.
    const other = await openModal(h, 'should we use kubernetes?', { user_id: 'U0002' });
    expect(JSON.parse(other.private_metadata!).topic).toBe('kubernetes');
    expect(h.api.callsTo('views.open').map((c) => c.args.trigger_id)).not.toContain('rate-limited-3');
    expect(h.api.callsTo('views.open')).toHaveLength(3);
  });

  it('help and list still work for a user over the limit', async () => {
    const res = await h.command('help', { trigger_id: 'rate-limited-help' });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { response_type: string; blocks: unknown[] };
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.blocks.length).toBeGreaterThan(0);
  });

  it('a DM question over the limit is answered in the thread and starts nothing', async () => {
    const ts = '1700002000.000300';
    const mark = checkpoint(h.api);
    await h.event({ type: 'message', channel: 'D0001', channel_type: 'im', user: USER, text: 'should we split the monolith into microservices?', ts, event_ts: ts }, 'EvRateDm');
    const [post] = await mark.wait('chat.postMessage');
    expect(post!.args.thread_ts).toBe(ts);
    expect(String(post!.args.text)).toContain('try again a little later');
    expect(h.query((db) => db.prepare('SELECT COUNT(*) AS n FROM conversations').get() as { n: number }).n).toBe(0);
  });
});

describe('question length limit', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackApp();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a question over 2,000 characters gets an ephemeral message naming the limit, and no modal', async () => {
    const text = `should we use kubernetes? ${'k'.repeat(2001 - 'should we use kubernetes? '.length)}`;
    expect(text).toHaveLength(2001);
    const res = await h.command(text, { trigger_id: 'too-long-1' });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { response_type: string; text: string };
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('2001 characters');
    expect(reply.text).toContain('the limit is 2000');

    // Observable later event: a normal question's modal; one for the long question would come first.
    await openModal(h, 'should we use kubernetes?');
    expect(h.api.callsTo('views.open').map((c) => c.args.trigger_id)).not.toContain('too-long-1');
    expect(h.api.callsTo('views.open')).toHaveLength(1);
  });

  it('a question of exactly 2,000 characters opens the modal with the whole question in its metadata', async () => {
    const text = `should we use kubernetes? ${'k'.repeat(2000 - 'should we use kubernetes? '.length)}`;
    const view = await openModal(h, text);
    expect(JSON.parse(view.private_metadata!).question).toBe(text);
  });

  it('a DM over 2,000 characters is answered in the thread with the limit', async () => {
    const ts = '1700003000.000300';
    const mark = checkpoint(h.api);
    await h.event({ type: 'message', channel: 'D0001', channel_type: 'im', user: USER, text: 'x'.repeat(2500), ts, event_ts: ts }, 'EvLongDm');
    const [post] = await mark.wait('chat.postMessage');
    expect(post!.args.thread_ts).toBe(ts);
    expect(String(post!.args.text)).toContain('2500 characters');
    expect(String(post!.args.text)).toContain('limited to 2000');
  });
});
