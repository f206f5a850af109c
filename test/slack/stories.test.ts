// War stories through the real Slack app against the fake Web API: the check-in modal asks what
// happened (with "keep my note private"), the next consultation on the topic in the same workspace
// quotes and counts it ("In this workspace"), another workspace never sees it, a private note is
// counted but never quoted; `/reality-check history` finds it; App Home is a decision log; and the
// "Reality-check this" message shortcut asks about a message and answers in its thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMonth } from '../../src/present/history.js';
import type { RecordedCall } from '../fakes/slack-api.js';
import {
  allText, blocksOf, CHANNEL, checkpoint, consultViaModal, eventually, KUBERNETES_ANSWERS, messageAction, openModal, startSlackApp, TEAM, USER, viewPayload, viewSubmission,
  type SlackHarness, type ViewArg,
} from './harness.js';

let h: SlackHarness;
const OTHER_TEAM = 'T0002';

beforeAll(async () => {
  h = await startSlackApp();
});
afterAll(async () => {
  await h?.stop();
});

const text = (call: RecordedCall): string => allText(call).join('\n');

/** The same payload as another workspace would send it. */
function inTeam<T extends Record<string, unknown>>(payload: T, team: string): T {
  const user = payload.user as Record<string, unknown>;
  return { ...payload, team: { id: team, domain: 'other' }, user: { ...user, team_id: team } };
}

/** A consultation in another workspace: command and submission both from `team`. */
async function consultIn(team: string, viewId: string): Promise<RecordedCall> {
  const view = await openModal(h, 'should we use kubernetes?', { team_id: team, team_domain: 'other' });
  const mark = checkpoint(h.api);
  await h.interact(inTeam(viewSubmission({ viewId, privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'me' }), team));
  const [verdict] = await mark.wait('chat.postMessage');
  return verdict!;
}

/** Opens the check-in modal from the DM's button and returns it. */
async function openCheckInModal(id: string, user = USER): Promise<ViewArg> {
  const trigger = `trigger-checkin-${id}-${Math.random()}`;
  const mark = checkpoint(h.api);
  await h.interact(messageAction({ channel: 'D0001', messageTs: '1700000100.000100', user, triggerId: trigger, action: { type: 'button', action_id: 'checkin_actuals', value: id } }));
  await mark.wait('views.open');
  return h.api.callsTo('views.open').find((c) => c.args.trigger_id === trigger)!.args.view as ViewArg;
}

/** Submits the check-in modal with a story (and actuals); returns the confirmation DM. */
async function submitCheckIn(id: string, viewId: string, story: string, keepPrivate: boolean, actuals: { cost?: string; months?: string } = {}): Promise<RecordedCall> {
  const mark = checkpoint(h.api);
  const res = await h.interact(viewPayload({
    viewId,
    callbackId: 'checkin_actuals_modal',
    privateMetadata: id,
    values: {
      cost: { cost: { type: 'number_input', value: actuals.cost ?? null } },
      months: { months: { type: 'number_input', value: actuals.months ?? null } },
      story: { story: { type: 'plain_text_input', value: story } },
      story_private: { story_private: { type: 'checkboxes', selected_options: keepPrivate ? [{ value: 'private', text: { type: 'plain_text', text: 'Keep my note private' } }] : [] } },
    },
  }));
  expect(res.status).toBe(200);
  const [reply] = await mark.wait('chat.postMessage');
  return reply!;
}

async function answerFailureMode(id: string, failureMode: string, answer: 'happened' | 'not-happened'): Promise<void> {
  const mark = checkpoint(h.api);
  await h.interact(messageAction({ channel: 'D0001', messageTs: '1700000100.000100', action: { type: 'button', action_id: `checkin_outcome:${answer}`, value: JSON.stringify({ id, fm: failureMode, a: answer }) } }));
  await mark.wait('chat.update');
}

describe('war stories on Slack', () => {
  let first = '';
  let firstLink = '';
  let topMode = '';

  it('the check-in modal asks what happened (optional, multiline, at most 1,000 characters) and whether to keep it private', async () => {
    const consulted = await consultViaModal(h, { viewId: 'VSTORY1', visibility: 'channel', text: 'should we use kubernetes for payments?' });
    first = consulted.id;
    const ts = (consulted.verdict.response as { ts: string }).ts;
    firstLink = `https://fake.slack.com/archives/${CHANNEL}/p${ts.replace('.', '')}`;
    // Written right after Slack answered the post, which the fake cannot signal.
    expect(await eventually(() => h.query((db) => (db.prepare('SELECT verdict_url FROM consultations WHERE id = ?').get(first) as { verdict_url: string | null }).verdict_url ?? undefined))).toBe(firstLink);

    const modal = await openCheckInModal(first);
    const story = modal.blocks.find((b) => b.block_id === 'story')!;
    expect(story.optional).toBe(true);
    expect(story.element).toMatchObject({ type: 'plain_text_input', action_id: 'story', multiline: true, max_length: 1000 });
    expect(story.element!.initial_value).toBeUndefined();
    const privacy = modal.blocks.find((b) => b.block_id === 'story_private')!;
    expect(privacy.element).toMatchObject({ type: 'checkboxes', action_id: 'story_private' });
    expect(JSON.stringify(privacy.element)).toContain('Keep my note private');
  });

  it('records the story with its author, and a too-long one is refused on the modal', async () => {
    topMode = h.query((db) => (db.prepare('SELECT failure_mode FROM predictions WHERE consultation_id = ? ORDER BY probability DESC LIMIT 1').get(first) as { failure_mode: string }).failure_mode);
    await answerFailureMode(first, topMode, 'happened');

    const tooLong = await h.interact(viewPayload({ viewId: 'VCHK0', callbackId: 'checkin_actuals_modal', privateMetadata: first, values: { story: { story: { type: 'plain_text_input', value: 'x'.repeat(1001) } } } }));
    expect(await tooLong.json()).toMatchObject({ response_action: 'errors', errors: { story: expect.stringContaining('1000') } });

    const reply = await submitCheckIn(first, 'VCHK1', 'Networking incidents twice <!channel> *really*.\nThe migration ran long.', false, { cost: '240000', months: '9' });
    expect(reply.args.channel).toBe(USER);
    expect(text(reply)).toContain('the next person here who asks about this will see it');
    expect(h.query((db) => db.prepare('SELECT story, story_private, story_by, story_author FROM consultations WHERE id = ?').get(first))).toEqual({
      story: 'Networking incidents twice <!channel> *really*.\nThe migration ran long.', story_private: 0, story_by: USER, story_author: 'ada',
    });
    // Opened again by its author, the modal shows the note to edit.
    expect((await openCheckInModal(first)).blocks.find((b) => b.block_id === 'story')!.element!.initial_value).toBe('Networking incidents twice <!channel> *really*.\nThe migration ran long.');
  });

  it("the next consultation on the topic in this workspace quotes and counts it, escaped, linking to the first one's verdict", async () => {
    const { verdict } = await consultViaModal(h, { viewId: 'VSTORY2', visibility: 'me' });
    const all = text(verdict);
    expect(all).toContain('*In this workspace*');
    expect(all).toContain('1 earlier consultation on Kubernetes and container orchestration here, by 1 person');
    expect(all).toMatch(/: happened in 1 of 1 reported/);
    expect(all).toContain('>Networking incidents twice &lt;!channel&gt; *really*.\n>The migration ran long.');
    expect(all).not.toContain('<!channel>');
    expect(all).toContain(`— ada, ${formatMonth(Date.now())} · <${firstLink}|${first}>`);
    expect(all).toMatch(/Actual cost \d+(\.\d)?× the predicted median \(1 report\)/);
  });

  it('a consultation in another workspace shows nothing of it', async () => {
    const verdict = await consultIn(OTHER_TEAM, 'VOTHER1');
    expect(text(verdict)).not.toContain('In this workspace');
    expect(text(verdict)).not.toContain('Networking incidents');
  });

  it('a private note counts in the figures and is never quoted', async () => {
    const { id } = await consultViaModal(h, { viewId: 'VSTORY3', visibility: 'me' });
    await submitCheckIn(id, 'VCHK3', 'The cluster ate our weekend', true);
    const dm = h.api.callsTo('chat.postMessage').at(-1)!;
    expect(text(dm)).toContain('kept private');
    const { verdict } = await consultViaModal(h, { viewId: 'VSTORY4', visibility: 'me' });
    const all = text(verdict);
    expect(all).toContain('3 earlier consultations');
    expect(all).toContain('2 resolved');
    expect(all).toContain('1 more note was kept private');
    expect(all).not.toContain('weekend');
    expect(JSON.stringify(h.api.calls.filter((c) => c.args.channel !== USER))).not.toContain('weekend');
  });

  it('/reality-check history finds it by its words, ranked, only in this workspace', async () => {
    const mark = checkpoint(h.api);
    await h.command('history networking <!here>', { response_url: h.api.responseUrl('history-1') });
    const [reply] = await mark.wait('response_url');
    expect(reply!.args.response_type).toBe('ephemeral');
    const all = text(reply!);
    expect(all).toContain('Past decisions in this workspace* matching “networking &lt;!here&gt;”');
    expect(all).toContain(`<${firstLink}|${first}>`);
    expect(all).toContain('>Networking incidents twice &lt;!channel&gt; *really*. The migration ran long.');
    expect(all).toMatch(/_Outcome:_ 1 of \d+ failure modes answered; happened: .+ · cost \$240K \(predicted/);
    expect(all).not.toContain('weekend');

    const privateWords = checkpoint(h.api);
    await h.command('history weekend', { response_url: h.api.responseUrl('history-2') });
    expect(text((await privateWords.wait('response_url'))[0]!)).toContain('No past decisions in this workspace matching “weekend”');

    const other = checkpoint(h.api);
    await h.command('history networking', { team_id: OTHER_TEAM, response_url: h.api.responseUrl('history-3') });
    expect(text((await other.wait('response_url'))[0]!)).toContain('No past decisions');
  });

  it('App Home is a decision log: verdict, outcome and story', async () => {
    const mark = checkpoint(h.api);
    await h.event({ type: 'app_home_opened', user: USER, channel: 'D0001', tab: 'home', event_ts: '1700005000.000001' }, 'EvStoriesHome');
    const [publish] = await mark.wait('views.publish');
    const all = text(publish!);
    expect(all).toContain('Your decision log');
    const entry = blocksOf(publish!).find((b) => b.text?.text.includes(first))!.text!.text;
    expect(entry).toMatch(/_Outcome:_ 1 of \d+ failure modes answered; happened: /);
    expect(entry).toContain('>Networking incidents twice &lt;!channel&gt;');
    expect(all).toContain('_A note was recorded and kept private._');
    expect(all).not.toContain('weekend');
  });
});

describe('the "Reality-check this" message shortcut', () => {
  const shortcut = (message: Record<string, unknown>, trigger: string, channel = CHANNEL) => ({
    type: 'message_action',
    callback_id: 'reality_check_message',
    trigger_id: trigger,
    message_ts: message.ts,
    response_url: h.api.responseUrl(`shortcut-${trigger}`),
    message: { type: 'message', user: 'U0009', ...message },
    user: { id: USER, name: 'ada', team_id: TEAM, username: 'ada' },
    channel: { id: channel, name: 'architecture' },
    team: { id: TEAM, domain: 'fake' },
    token: 'deprecated',
    action_ts: '1700000500.000001',
    is_enterprise_install: false,
  });

  it('opens the questionnaire with the message as the question, and answers in its thread with a link back', async () => {
    const mark = checkpoint(h.api);
    const longTail = ' and more'.repeat(300);
    const res = await h.interact(shortcut({ ts: '1700000300.000200', text: `Should we move the payments service to Kubernetes? <@U0042> thinks so${longTail}` }, 'trigger-shortcut-1'));
    expect(res.status).toBe(200);
    await mark.wait('views.open');
    const view = h.api.callsTo('views.open').find((c) => c.args.trigger_id === 'trigger-shortcut-1')!.args.view as ViewArg;
    const meta = JSON.parse(view.private_metadata!) as { question: string; topic: string; channel: string; source: { url: string; threadTs: string } };
    expect(meta.topic).toBe('kubernetes');
    expect(meta.channel).toBe(CHANNEL);
    expect(meta.question.startsWith('Should we move the payments service to Kubernetes?')).toBe(true);
    expect(meta.question.length).toBeLessThanOrEqual(2000);
    expect(meta.source).toEqual({ url: `https://fake.slack.com/archives/${CHANNEL}/p1700000300000200`, threadTs: '1700000300.000200' });
    expect(JSON.stringify(view.blocks)).toContain('&lt;@U0042&gt;');

    const submitted = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VSHORT1', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'thread' }));
    const [verdict] = await submitted.wait('chat.postMessage');
    // No parent message of our own: the verdict goes straight into the message's thread.
    expect(verdict!.args).toMatchObject({ channel: CHANNEL, thread_ts: '1700000300.000200' });
    expect(text(verdict!)).toContain(`Asked about <https://fake.slack.com/archives/${CHANNEL}/p1700000300000200|this message>`);
    const id = await eventually(() => h.query((db) => db.prepare('SELECT id, source_url, verdict_url FROM consultations WHERE source_url IS NOT NULL AND verdict_url IS NOT NULL').get()) as { id: string; source_url: string; verdict_url: string } | undefined);
    expect(id.source_url).toBe(`https://fake.slack.com/archives/${CHANNEL}/p1700000300000200`);
    expect(id.verdict_url).toMatch(new RegExp(`^https://fake\\.slack\\.com/archives/${CHANNEL}/p\\d+\\?thread_ts=1700000300\\.000200&cid=${CHANNEL}$`));
  });

  it('a reply in a thread keeps that thread; a message without text gets a note instead of a modal', async () => {
    const mark = checkpoint(h.api);
    await h.interact(shortcut({ ts: '1700000400.000300', thread_ts: '1700000300.000200', text: 'Or a distributed database instead?' }, 'trigger-shortcut-2'));
    await mark.wait('views.open');
    const view = h.api.callsTo('views.open').find((c) => c.args.trigger_id === 'trigger-shortcut-2')!.args.view as ViewArg;
    expect(JSON.parse(view.private_metadata!).source).toEqual({ url: `https://fake.slack.com/archives/${CHANNEL}/p1700000400000300?thread_ts=1700000300.000200&cid=${CHANNEL}`, threadTs: '1700000300.000200' });

    // Unsure which topic a message is about: the same one-click choices as the slash command's modal.
    const unsure = checkpoint(h.api);
    await h.interact(shortcut({ ts: '1700000450.000300', text: 'is it worth adding mutual TLS to internal gRPC calls' }, 'trigger-shortcut-unsure'));
    await unsure.wait('views.open');
    const unsureView = h.api.callsTo('views.open').find((c) => c.args.trigger_id === 'trigger-shortcut-unsure')!.args.view as ViewArg;
    const choices = unsureView.blocks.find((b) => b.block_id === 'topic_choices');
    expect(choices?.elements?.map((b) => b.value)).toContain('zero-trust');

    const empty = checkpoint(h.api);
    await h.interact(shortcut({ ts: '1700000500.000400', text: '' }, 'trigger-shortcut-3'));
    const [note] = await empty.wait('response_url');
    expect(note!.args).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('no text to check') });
    expect(h.api.callsTo('views.open').some((c) => c.args.trigger_id === 'trigger-shortcut-3')).toBe(false);
  });
});
