// A consultation as Teams speaks it: a personal chat message → questionnaire card → card submits →
// verdict card with Explain and Export ADR; an invalid submit; an @mention in a channel; install.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CARD_BYTES, cardBytes } from '../../src/teams/cards/types.js';
import { newConsultationId } from '../../src/service/consult-service.js';
import {
  action, ADA, BOB, cardSubmit, channelMention, CHANNEL, elements, exchange, installActivity, KUBERNETES_ANSWERS, onlyCard, PERSONAL_CONVERSATION,
  personalMessage, startTeamsApp, TENANT, textOf, textsOf, type TeamsHarness,
} from './harness.js';

let h: TeamsHarness;

beforeAll(async () => {
  h = await startTeamsApp();
});

afterAll(async () => {
  await h?.stop();
});

/** The columns of a consultations row these tests read. */
interface SavedConsultation {
  id: string;
  platform: string;
  workspace: string;
  user_id: string;
  topic: string;
  channel: string;
  question: string;
}
const consultations = () => h.query((db) => db.prepare('SELECT id, platform, workspace, user_id, topic, channel, question FROM consultations ORDER BY created_at').all() as SavedConsultation[]);
const inputs = (answers: Record<string, string>) => Object.fromEntries(Object.entries(answers).map(([k, v]) => [`q:${k}`, v]));

describe('teams consultation in a personal chat', () => {
  it('answers a question with a questionnaire card, and the card submits end in a verdict card', async () => {
    const asked = await exchange(h, personalMessage(h, 'Should we use Kubernetes for our three services?'));
    expect(asked.status).toBe(200);
    expect(asked.calls).toHaveLength(1);
    const reply = asked.calls[0]!;
    expect(reply.kind).toBe('reply');
    expect(reply.conversationId).toBe(PERSONAL_CONVERSATION);
    const card = onlyCard(reply);
    expect(card.version).toBe('1.5');
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
    const choiceSets = elements(card).filter((e) => e.type === 'Input.ChoiceSet');
    expect(choiceSets.map((c) => c.id)).toEqual(['topic', 'q:team-size', 'q:platform-team', 'q:k8s-experience', 'q:hosting', 'q:service-count', 'q:stateful', 'q:oncall', 'q:shared-clusters']);
    expect(choiceSets[0]).toMatchObject({ value: 'kubernetes' });
    expect(textsOf(card)).toContain('Answer only if “How many engineers will build, deploy or run services on it?” is 50 to 200 or More than 200.');

    const submit = action(card, 'Get verdict');
    const done = await exchange(h, cardSubmit(h, { replyToId: reply.responseId, data: submit.data, inputs: { topic: 'kubernetes', ...inputs(KUBERNETES_ANSWERS) } }));
    expect(done.status).toBe(200);
    const update = done.calls.find((c) => c.kind === 'update');
    expect(update?.activityId).toBe(reply.responseId);
    expect(textsOf(onlyCard(update!)).join(' ')).toMatch(/Answered/);
    const verdictCall = done.calls.find((c) => c.kind === 'reply');
    const verdict = onlyCard(verdictCall!);
    expect(cardBytes(verdict)).toBeLessThan(MAX_CARD_BYTES);
    const text = textsOf(verdict).join('\n');
    expect(text).toMatch(/Kubernetes/);
    expect(text).toMatch(/Failure modes predicted/);
    expect(text).toMatch(/Cost \(first year\): \$/);
    const rows = consultations();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: 'teams', workspace: TENANT, user_id: ADA.aadObjectId, topic: 'kubernetes', channel: PERSONAL_CONVERSATION });
    const id = rows[0]!.id!;
    expect(action(verdict, 'Explain').data).toEqual({ rc: 'verdict.explain', id });

    const explained = await exchange(h, cardSubmit(h, { replyToId: verdictCall!.responseId, data: action(verdict, 'Explain').data }));
    const explain = onlyCard(explained.calls[0]!);
    expect(cardBytes(explain)).toBeLessThan(MAX_CARD_BYTES);
    expect(textsOf(explain).join('\n')).toMatch(/What would change the verdict/);

    const exported = await exchange(h, cardSubmit(h, { replyToId: verdictCall!.responseId, data: action(verdict, 'Export ADR').data }));
    const adr = textOf(exported.calls[0]!);
    expect(exported.calls[0]!.body.textFormat).toBe('plain');
    expect(adr).toContain(`consultation ${id}`);
    expect(adr).toContain('## Decision Outcome');

    // Pressing "Get verdict" again on the same card does not make a second consultation.
    const again = await exchange(h, cardSubmit(h, { replyToId: reply.responseId, data: submit.data, inputs: { topic: 'kubernetes', ...inputs(KUBERNETES_ANSWERS) } }));
    expect(textOf(again.calls[0]!)).toContain(`already answered: see ${id}`);
    expect(consultations()).toHaveLength(1);
  });

  it('shows a missing answer on the card next to its question and stores nothing', async () => {
    const before = consultations().length;
    const asked = await exchange(h, personalMessage(h, 'do we need kubernetes?'));
    const reply = asked.calls[0]!;
    const { oncall: _missing, ...partial } = KUBERNETES_ANSWERS;
    const res = await exchange(h, cardSubmit(h, { replyToId: reply.responseId, data: action(onlyCard(reply), 'Get verdict').data, inputs: { topic: 'kubernetes', ...inputs(partial) } }));
    expect(res.calls.map((c) => c.kind)).toEqual(['update']);
    expect(res.calls[0]!.activityId).toBe(reply.responseId);
    const card = onlyCard(res.calls[0]!);
    const oncall = card.body.find((e) => e.type === 'Container' && e.id === 'c:oncall');
    expect(oncall && oncall.type === 'Container' ? oncall.style : null).toBe('attention');
    expect(JSON.stringify(oncall)).toContain('Please answer this one');
    // What was answered stays on the card.
    const hosting = elements(card).find((e) => e.type === 'Input.ChoiceSet' && e.id === 'q:hosting');
    expect(hosting).toMatchObject({ value: 'managed' });
    expect(elements(card).filter((e) => e.type === 'TextBlock' && e.text.startsWith('⚠'))).toHaveLength(1);
    expect(consultations()).toHaveLength(before);
  });

  it('switches the questionnaire to another topic', async () => {
    const asked = await exchange(h, personalMessage(h, 'should we split into microservices?'));
    const card = onlyCard(asked.calls[0]!);
    expect(elements(card).find((e) => e.type === 'Input.ChoiceSet' && e.id === 'topic')).toMatchObject({ value: 'microservices' });
    const res = await exchange(h, cardSubmit(h, { replyToId: asked.calls[0]!.responseId, data: action(card, 'Switch topic').data, inputs: { topic: 'kubernetes' } }));
    const switched = onlyCard(res.calls[0]!);
    expect(res.calls[0]!.kind).toBe('update');
    expect(elements(switched).some((e) => e.type === 'Input.ChoiceSet' && e.id === 'q:k8s-experience')).toBe(true);
    expect(action(switched, 'Get verdict').data).toMatchObject({ cardTopic: 'kubernetes', question: 'should we split into microservices?' });
    // When the questionnaire began goes on with it: the consultation's id is made from it.
    const at = (action(card, 'Get verdict').data as { at?: unknown }).at;
    expect(at).toEqual(expect.any(Number));
    expect((action(switched, 'Get verdict').data as { at?: unknown }).at).toBe(at);
  });

  it('when detection is unsure, names the topics it considered and switches with one click on one', async () => {
    const asked = await exchange(h, personalMessage(h, 'is it worth adding mutual TLS to internal gRPC calls'));
    const card = onlyCard(asked.calls[0]!);
    expect(elements(card).find((e) => e.type === 'Input.ChoiceSet' && e.id === 'topic')).toMatchObject({ value: 'zero-trust' });
    expect(textsOf(card).some((t) => t.startsWith("I'm not sure which topic this is"))).toBe(true);
    const picks = elements(card).flatMap((e) => (e.type === 'ActionSet' ? e.actions : []));
    expect(picks.map((a) => a.data.pick).slice(0, 2)).toEqual(['zero-trust', 'microservices']);
    const microservices = picks.find((a) => a.data.pick === 'microservices')!;
    expect(microservices.data).toMatchObject({ rc: 'consult.switch', cardTopic: 'zero-trust' });
    // Teams merges the card's inputs into the data: the topic dropdown still says zero-trust; the pick wins.
    const res = await exchange(h, cardSubmit(h, { replyToId: asked.calls[0]!.responseId, data: microservices.data, inputs: { topic: 'zero-trust' } }));
    expect(res.calls[0]!.kind).toBe('update');
    const switched = onlyCard(res.calls[0]!);
    expect(elements(switched).find((e) => e.type === 'Input.ChoiceSet' && e.id === 'topic')).toMatchObject({ value: 'microservices' });
    expect(elements(switched).some((e) => e.type === 'ActionSet')).toBe(false);
  });

  it('says a question on technology without a topic of its own gets the general assessment', async () => {
    const asked = await exchange(h, personalMessage(h, 'should we adopt Kafka for our event bus?'));
    const card = onlyCard(asked.calls[0]!);
    expect(elements(card).find((e) => e.type === 'Input.ChoiceSet' && e.id === 'topic')).toMatchObject({ value: 'general' });
    expect(textsOf(card)).toContain('No specific war stories on Kafka yet; this is the general assessment.');
  });

  it('answers a greeting with help and topic buttons', async () => {
    const res = await exchange(h, personalMessage(h, 'hello'));
    const card = onlyCard(res.calls[0]!);
    const topics = elements(card).flatMap((e) => (e.type === 'ActionSet' ? e.actions : []));
    expect(topics.length).toBeGreaterThanOrEqual(7);
    expect(topics.find((a) => a.data.topic === 'zero-trust')?.data).toEqual({ rc: 'topic.start', topic: 'zero-trust' });
    const started = await exchange(h, cardSubmit(h, { replyToId: res.calls[0]!.responseId, data: topics.find((a) => a.data.topic === 'zero-trust')!.data }));
    expect(action(onlyCard(started.calls[0]!), 'Get verdict').data).toMatchObject({ cardTopic: 'zero-trust' });
  });

  it('escapes markdown a user wrote before it goes into a card', async () => {
    const res = await exchange(h, personalMessage(h, 'should we use **kubernetes** [now](https://evil.example)?'));
    const quoted = textsOf(onlyCard(res.calls[0]!)).find((t) => t.startsWith('> '));
    expect(quoted).toBe('> should we use \\*\\*kubernetes\\*\\* \\[now\\]\\(https://evil.example\\)?');
  });
});

describe('teams in a channel and on install', () => {
  it('starts a consultation from an @mention with the mention stripped, and the verdict names the asker', async () => {
    const res = await exchange(h, channelMention(h, 'should we use kubernetes?', BOB));
    expect(res.calls).toHaveLength(1);
    expect(res.calls[0]!.kind).toBe('reply');
    expect(res.calls[0]!.conversationId).toBe(`${CHANNEL};messageid=1740000000000`);
    const card = onlyCard(res.calls[0]!);
    const submit = action(card, 'Get verdict');
    expect(submit.data).toMatchObject({ cardTopic: 'kubernetes', question: 'should we use kubernetes?' });
    const done = await exchange(h, cardSubmit(h, { replyToId: res.calls[0]!.responseId, data: submit.data, inputs: { topic: 'kubernetes', ...inputs(KUBERNETES_ANSWERS) }, from: BOB, inChannel: true }));
    const verdict = onlyCard(done.calls.find((c) => c.kind === 'reply')!);
    expect(textsOf(verdict).join('\n')).toContain(`asked by ${BOB.name}`);
    const row = consultations().find((r) => r.user_id === BOB.aadObjectId);
    expect(row).toMatchObject({ channel: CHANNEL, platform: 'teams' });
    // Its id sorts by when the card was sent, and a second click on the same card would find it.
    expect(row!.id).toMatch(/^rc-[0-9a-z]{14}$/);
    expect(row!.id.slice(0, 9)).toBe(newConsultationId((submit.data as { at: number }).at).slice(0, 9));
    const refs = h.query((db) => db.prepare("SELECT ref_key FROM conversation_references WHERE workspace = ? ORDER BY ref_key").all(TENANT) as Array<{ ref_key: string }>).map((r) => r.ref_key);
    expect(refs).toEqual(expect.arrayContaining([`channel:${CHANNEL}`, `member:${BOB.aadObjectId}`, 'tenant', `user:${ADA.aadObjectId}`]));
  });

  it('welcomes on install and records the conversation reference', async () => {
    const res = await exchange(h, installActivity(h, ADA));
    expect(textsOf(onlyCard(res.calls[0]!)).join(' ')).toContain('Thanks for adding reality-check');
    const ref = h.query((db) => db.prepare("SELECT ref_json FROM conversation_references WHERE workspace = ? AND ref_key = ?").get(TENANT, `user:${ADA.aadObjectId}`) as { ref_json: string });
    const parsed = JSON.parse(ref.ref_json) as { serviceUrl: string; conversation: { id: string }; activityId?: string };
    expect(parsed.serviceUrl).toBe(h.connector.url);
    expect(parsed.conversation.id).toBe(PERSONAL_CONVERSATION);
    expect(parsed.activityId).toBeUndefined();
  });

  it('lists the asker’s own consultations as plain text', async () => {
    const res = await exchange(h, personalMessage(h, 'list'));
    const mine = consultations().filter((r) => r.user_id === ADA.aadObjectId);
    expect(mine.length).toBeGreaterThan(0);
    expect(res.calls[0]!.body.textFormat).toBe('plain');
    for (const row of mine) expect(textOf(res.calls[0]!)).toContain(row.id);
    expect(textOf(res.calls[0]!)).not.toContain(consultations().find((r) => r.user_id === BOB.aadObjectId)!.id!);
  });

  it('drops a redelivered activity', async () => {
    const activity = personalMessage(h, 'hello');
    const first = await exchange(h, activity);
    const second = await exchange(h, activity);
    expect(first.calls).toHaveLength(1);
    expect(second.status).toBe(200);
    expect(second.calls).toHaveLength(0);
  });
});
