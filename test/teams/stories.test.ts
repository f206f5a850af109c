// War stories in Teams: the check-in card asks what happened (Input.Text, at most 1,000 characters)
// with "keep my note private"; the next consultation on the topic in the same tenant quotes and counts
// it, another tenant never sees it, a private note is counted but never quoted; `history` finds it; and
// the "Reality-check this" message action opens the questionnaire as a dialog and posts the verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../src/teams/cards/types.js';
import {
  action, ADA, BOB, BOT, cardSubmit, CHANNEL, elements, exchange, KUBERNETES_ANSWERS, onlyCard, personalMessage, startTeamsApp, TEAM, TENANT, textsOf,
  type Activity, type TeamsHarness,
} from './harness.js';

let h: TeamsHarness;
const OTHER_TENANT = 'tenant-0002';

beforeAll(async () => {
  h = await startTeamsApp();
});
afterAll(async () => {
  await h?.stop();
});

const inputs = (answers: Record<string, string>) => Object.fromEntries(Object.entries(answers).map(([k, v]) => [`q:${k}`, v]));
const inTenant = (activity: Activity, tenant: string): Activity => ({
  ...activity,
  conversation: { ...(activity.conversation as Record<string, unknown>), tenantId: tenant },
  channelData: { ...(activity.channelData as Record<string, unknown>), tenant: { id: tenant } },
});

/** A whole consultation in a personal chat; returns the verdict card and the consultation id. */
async function consult(from = ADA, tenant = TENANT, question = 'Should we use Kubernetes?'): Promise<{ verdict: AdaptiveCard; id: string }> {
  const asked = await exchange(h, inTenant(personalMessage(h, question, from), tenant));
  const card = onlyCard(asked.calls[0]!);
  const done = await exchange(h, inTenant(cardSubmit(h, { replyToId: asked.calls[0]!.responseId, from, data: action(card, 'Get verdict').data, inputs: { topic: 'kubernetes', ...inputs(KUBERNETES_ANSWERS) } }), tenant));
  const verdict = onlyCard(done.calls.find((c) => c.kind === 'reply')!);
  return { verdict, id: String(action(verdict, 'Explain').data.id) };
}

async function checkInCard(id: string, from = ADA): Promise<{ card: AdaptiveCard; replyId: string }> {
  const res = await exchange(h, personalMessage(h, `resolve ${id}`, from));
  return { card: onlyCard(res.calls[0]!), replyId: res.calls[0]!.responseId };
}

describe('war stories in Teams', () => {
  let first = '';

  it('the check-in card asks what happened and whether to keep it private', async () => {
    first = (await consult()).id;
    const { card } = await checkInCard(first);
    expect(elements(card).find((e) => e.type === 'Input.Text')).toMatchObject({ id: 'story', isMultiline: true, maxLength: 1000 });
    expect(elements(card).find((e) => e.type === 'Input.Toggle' && e.id === 'storyPrivate')).toMatchObject({ value: 'false', valueOn: 'true' });
  });

  it('records the story with its author; too long is shown on the card', async () => {
    const { card, replyId } = await checkInCard(first);
    const modes = elements(card).filter((e) => e.type === 'Input.ChoiceSet').map((e) => e.id);
    const tooLong = await exchange(h, cardSubmit(h, { replyToId: replyId, data: action(card, 'Save outcomes').data, inputs: { story: 'x'.repeat(1001) } }));
    expect(textsOf(onlyCard(tooLong.calls[0]!)).join('\n')).toContain('at most 1000 characters');

    const saved = await exchange(h, cardSubmit(h, {
      replyToId: replyId,
      data: action(card, 'Save outcomes').data,
      inputs: { [modes[0]!]: 'happened', cost: '250000', story: 'Networking **incidents** [twice](https://evil.example) <at>Bob</at>', storyPrivate: 'false' },
    }));
    expect(textsOf(onlyCard(saved.calls[0]!)).join('\n')).toContain('The next person here who asks about this will see your note.');
    expect(h.query((db) => db.prepare('SELECT story, story_private, story_by, story_author FROM consultations WHERE id = ?').get(first))).toEqual({
      story: 'Networking **incidents** [twice](https://evil.example) <at>Bob</at>', story_private: 0, story_by: ADA.aadObjectId, story_author: ADA.name,
    });
  });

  it("the next consultation in this tenant quotes and counts it (markdown escaped); another tenant's does not", async () => {
    const { verdict } = await consult(BOB);
    const text = textsOf(verdict).join('\n');
    expect(text).toContain('In this workspace');
    expect(text).toContain('1 earlier consultation on Kubernetes and container orchestration here, by 1 person');
    expect(text).toMatch(/: happened in 1 of 1 reported/);
    expect(text).toContain('“Networking \\*\\*incidents\\*\\* \\[twice\\]\\(https://evil.example\\) \\<at\\>Bob\\</at\\>”');
    expect(text).toContain(`— Ada Lovelace, `);
    expect(text).not.toContain('**incidents**');

    const elsewhere = await consult(ADA, OTHER_TENANT);
    expect(textsOf(elsewhere.verdict).join('\n')).not.toContain('In this workspace');
    expect(JSON.stringify(elsewhere.verdict)).not.toContain('Networking');
  });

  it('a private note is counted, never quoted, and not put back on anyone else’s card', async () => {
    const { id } = await consult(BOB);
    const { card, replyId } = await checkInCard(id, BOB);
    await exchange(h, cardSubmit(h, { replyToId: replyId, from: BOB, data: action(card, 'Save outcomes').data, inputs: { story: 'The cluster ate our weekend', storyPrivate: 'true' } }));
    // Its author sees it again; someone else asking for the card does not.
    expect(elements((await checkInCard(id, BOB)).card).find((e) => e.type === 'Input.Text')).toMatchObject({ value: 'The cluster ate our weekend' });
    expect(JSON.stringify((await checkInCard(id, ADA)).card)).not.toContain('weekend');

    const { verdict } = await consult(ADA);
    const text = textsOf(verdict).join('\n');
    expect(text).toContain('1 more note was kept private');
    expect(text).not.toContain('weekend');
  });

  it('history finds past decisions by their words, in this tenant only', async () => {
    const res = await exchange(h, personalMessage(h, 'history networking'));
    const card = onlyCard(res.calls[0]!);
    const text = textsOf(card).join('\n');
    expect(text).toContain('Past decisions here matching “networking”, best match first');
    expect(text).toContain(first);
    expect(text).toMatch(/Outcome: 1 of \d+ failure modes answered; happened: /);
    expect(text).not.toContain('weekend');
    const none = await exchange(h, inTenant(personalMessage(h, 'history networking'), OTHER_TENANT));
    expect(textsOf(onlyCard(none.calls[0]!)).join('\n')).toContain('No past decisions here matching “networking”');
  });
});

describe('the "Reality-check this" message action', () => {
  const link = 'https://teams.microsoft.com/l/message/19:architecture@thread.tacv2/1740000000777?tenantId=tenant-0001';
  const invoke = (name: string, value: Record<string, unknown>): Activity => ({
    id: `invoke-${name}-${Math.random()}`,
    type: 'invoke',
    name,
    timestamp: new Date(h.clock.now()).toISOString(),
    serviceUrl: h.connector.url,
    channelId: 'msteams',
    from: ADA,
    recipient: BOT,
    conversation: { tenantId: TENANT, conversationType: 'channel', isGroup: true, id: `${CHANNEL};messageid=1740000000777` },
    channelData: { tenant: { id: TENANT }, teamsChannelId: CHANNEL, teamsTeamId: TEAM, channel: { id: CHANNEL }, team: { id: TEAM } },
    value: { commandId: 'realityCheckMessage', commandContext: 'message', ...value },
  });
  const messagePayload = {
    id: '1740000000777',
    linkToMessage: link,
    body: { contentType: 'html', content: '<p>Should we run the payments service on Kubernetes?<br>Bob &amp; <at>Ann</at> think so &lt;3</p>' },
  };
  type TaskResponse = { task: { type: string; value: string | { card: { content: AdaptiveCard } } } };
  const send = async (activity: Activity): Promise<{ status: number; body: TaskResponse; calls: number }> => {
    const mark = h.connector.calls.length;
    const res = await h.send(activity);
    const body = (await res.json()) as TaskResponse;
    return { status: res.status, body, calls: h.connector.calls.length - mark };
  };

  it('opens the questionnaire in a dialog with the message text as the question, and posts the verdict with a link back', async () => {
    const fetched = await send(invoke('composeExtension/fetchTask', { messagePayload }));
    expect(fetched.status).toBe(200);
    expect(fetched.body.task.type).toBe('continue');
    const card = (fetched.body.task.value as { card: { content: AdaptiveCard } }).card.content;
    const submit = action(card, 'Get verdict');
    expect(submit.data).toMatchObject({ cardTopic: 'kubernetes', question: 'Should we run the payments service on Kubernetes? Bob & Ann think so <3', source: link });
    expect(textsOf(card).join('\n')).toContain('Bob & Ann think so \\<3');

    const missing = await send(invoke('composeExtension/submitAction', { messagePayload, data: { ...submit.data, topic: 'kubernetes' } }));
    expect(missing.body.task.type).toBe('continue');
    expect(JSON.stringify(missing.body)).toContain('Please answer this one');

    const mark = h.connector.calls.length;
    const done = await send(invoke('composeExtension/submitAction', { messagePayload, data: { ...submit.data, topic: 'kubernetes', ...inputs(KUBERNETES_ANSWERS) } }));
    expect(done.body.task).toMatchObject({ type: 'message', value: expect.stringMatching(/^The verdict \(rc-[a-z0-9]+\) is posted in the conversation\.$/) });
    const posted = h.connector.since(mark);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.conversationId).toBe(`${CHANNEL};messageid=1740000000777`);
    const verdictText = textsOf(onlyCard(posted[0]!)).join('\n');
    expect(verdictText).toContain(`Asked about [this message](${link})`);
    expect(h.query((db) => db.prepare('SELECT source_url FROM consultations WHERE source_url IS NOT NULL').all())).toEqual([{ source_url: link }]);
  });

  it('says so when the message has no text', async () => {
    const res = await send(invoke('composeExtension/fetchTask', { messagePayload: { ...messagePayload, body: { contentType: 'html', content: '<img src="x">' } } }));
    expect(res.body.task).toEqual({ type: 'message', value: expect.stringContaining('no text to check') });
  });
});
