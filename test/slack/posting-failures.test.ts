// When Slack refuses or stumbles while the verdict is posted: the consultation is already saved, the
// user is told where it went, and transient 5xx answers are retried by the Web API client. And when views.open
// fails: a 5xx is retried, an error Slack gives as its answer reaches the user as a short ephemeral note.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actionIds,
  CHANNEL,
  checkpoint,
  KUBERNETES_ANSWERS,
  openModal,
  startSlackApp,
  USER,
  viewSubmission,
  type SlackHarness,
} from './harness.js';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackApp();
});

afterAll(async () => {
  await h?.stop();
});

function rowsForView(question: string): Array<{ id: string; channel: string }> {
  return h.query((db) => db.prepare('SELECT id, channel FROM consultations WHERE question = ?').all(question) as Array<{ id: string; channel: string }>);
}

describe('posting the verdict fails', () => {
  it('not_in_channel: the row is saved and the user gets a DM saying it is saved and could not be posted', async () => {
    const question = 'should we use kubernetes? (not in channel)';
    const view = await openModal(h, question);
    // Slack answers HTTP 200 with ok:false for a channel the bot is not in; the client does not retry that.
    h.api.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'not_in_channel' } });
    const mark = checkpoint(h.api);
    const res = await h.interact(viewSubmission({ viewId: 'VFAIL1', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'channel' }));
    expect(res.status).toBe(200);
    const [attempt, note] = await mark.wait('chat.postMessage', 2);

    expect(attempt!.args.channel).toBe(CHANNEL);
    expect(attempt!.response).toEqual({ ok: false, error: 'not_in_channel' });

    const rows = rowsForView(question);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.channel).toBe(CHANNEL);
    const id = rows[0]!.id;
    const predictions = h.query((db) => db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE consultation_id = ?').get(id) as { n: number });
    expect(predictions.n).toBeGreaterThan(0);

    expect(note!.args.channel).toBe(USER);
    const text = String(note!.args.text);
    expect(text).toContain(`saved as \`${id}\``);
    expect(text).toContain(`could not post the verdict to <#${CHANNEL}>`);
    expect(text).toContain('not_in_channel');
    // The verdict itself comes along in the DM, with its buttons.
    expect(actionIds(note!)).toEqual(['verdict_explain', 'verdict_export_adr', 'verdict_change_check_in']);
  });

  it('a 500 from chat.postMessage is retried by the client and then succeeds, with no fallback DM', async () => {
    const question = 'should we use kubernetes? (flaky slack)';
    const view = await openModal(h, question);
    h.api.failNext('chat.postMessage', { status: 500, body: { ok: false, error: 'internal_error' } });
    const mark = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VFAIL2', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'channel' }));
    const [first, retry] = await mark.wait('chat.postMessage', 2);
    expect(first!.args.channel).toBe(CHANNEL);
    expect(first!.status).toBe(500);
    expect(retry!.args.channel).toBe(CHANNEL);
    expect(retry!.status).toBe(200);
    expect(retry!.args.blocks).toEqual(first!.args.blocks);

    // Observable later event: another consultation's post. A fallback DM for this one would come first.
    const later = await openModal(h, 'should we use kubernetes? (after the flaky one)');
    const mark2 = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VFAIL2-later', privateMetadata: later.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'channel' }));
    await mark2.wait('chat.postMessage');
    const all = mark.calls('chat.postMessage');
    expect(all.slice(0, all.length - mark2.calls('chat.postMessage').length)).toHaveLength(2);
    expect(all.filter((c) => c.args.channel === USER)).toEqual([]);
    expect(rowsForView(question)).toHaveLength(1);
  });

  it('thread visibility: a refused parent post still saves and falls back to a DM', async () => {
    const question = 'should we use kubernetes? (archived channel)';
    const view = await openModal(h, question);
    h.api.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'is_archived' } });
    const mark = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VFAIL3', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'thread' }));
    const [parent, note] = await mark.wait('chat.postMessage', 2);
    expect(parent!.args.channel).toBe(CHANNEL);
    expect(note!.args.channel).toBe(USER);
    expect(String(note!.args.text)).toContain('is_archived');
    expect(rowsForView(question)).toHaveLength(1);
    // No threaded reply was attempted under a parent that does not exist.
    expect(mark.calls('chat.postMessage').filter((c) => c.args.thread_ts !== undefined)).toEqual([]);
  });
});

describe('opening the modal fails', () => {
  it('a 503 from views.open is retried and the modal opens', async () => {
    h.api.failNext('views.open', { status: 503 });
    const mark = checkpoint(h.api);
    const res = await h.command('should we use kubernetes? (views.open retried)', { trigger_id: 'trigger-retried' });
    expect(res.status).toBe(200);
    const [failed, opened] = await mark.wait('views.open', 2);
    expect([failed!.status, opened!.status]).toEqual([503, 200]);
    expect(opened!.args.trigger_id).toBe('trigger-retried');
    expect(JSON.parse((opened!.args.view as { private_metadata: string }).private_metadata)).toMatchObject({ topic: 'kubernetes' });
  });

  it('an expired trigger: the user is told through the response_url, nothing is saved', async () => {
    h.api.failNext('views.open', { status: 200, body: { ok: false, error: 'expired_trigger_id' } });
    const mark = checkpoint(h.api);
    const question = 'should we use kubernetes? (expired trigger)';
    const res = await h.command(question, { response_url: h.api.responseUrl('expired-trigger') });
    expect(res.status).toBe(200);
    const [reply] = await mark.wait('response_url');
    expect(reply!.args.response_type).toBe('ephemeral');
    expect(String(reply!.args.text)).toContain('would not open the questionnaire (expired_trigger_id)');
    expect(String(reply!.args.text)).toContain(`/reality-check ${question}`);
    expect(rowsForView(question)).toEqual([]);
  });
});
