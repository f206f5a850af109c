// Proactive Teams messages driven by the durable scheduler and an injected clock: the check-in as a
// 1:1 card (resolved by a card submit, asker only) and the weekly digest as a new channel post.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CARD_BYTES, cardBytes } from '../../src/teams/cards/types.js';
import {
  action, ADA, BOB, cardSubmit, cardsOf, channelMention, CHANNEL, DAY, elements, exchange, KUBERNETES_ANSWERS, onlyCard, PERSONAL_CONVERSATION,
  personalMessage, startTeamsApp, TENANT, textOf, textsOf, type TeamsHarness,
} from './harness.js';

let h: TeamsHarness;

beforeAll(async () => {
  h = await startTeamsApp();
});

afterAll(async () => {
  await h?.stop();
});

const inputs = (answers: Record<string, string>) => Object.fromEntries(Object.entries(answers).map(([k, v]) => [`q:${k}`, v]));

async function consultInPersonalChat(): Promise<string> {
  const asked = await exchange(h, personalMessage(h, 'should we use kubernetes?'));
  const card = onlyCard(asked.calls[0]!);
  const done = await exchange(h, cardSubmit(h, { replyToId: asked.calls[0]!.responseId, data: action(card, 'Get verdict').data, inputs: { topic: 'kubernetes', ...inputs(KUBERNETES_ANSWERS) } }));
  const verdict = onlyCard(done.calls.find((c) => c.kind === 'reply')!);
  return String(action(verdict, 'Explain').data.id);
}

const outcomes = (id: string) =>
  h.query((db) =>
    db.prepare('SELECT p.failure_mode AS fm, o.happened, o.recorded_by FROM outcomes o JOIN predictions p ON p.id = o.prediction_id WHERE p.consultation_id = ? ORDER BY p.failure_mode').all(id) as Array<{ fm: string; happened: number | null; recorded_by: string }>,
  );
const actuals = (id: string) =>
  h.query((db) => db.prepare('SELECT e.kind, o.actual_value AS value FROM outcomes o JOIN estimates e ON e.id = o.estimate_id WHERE e.consultation_id = ? ORDER BY e.kind').all(id) as Array<{ kind: string; value: number }>);

describe('teams check-in', () => {
  let id = '';
  let checkIn: { responseId: string; card: ReturnType<typeof onlyCard> } | null = null;

  it('sends the check-in card to the asker 1:1 when the check-in date comes', async () => {
    id = await consultInPersonalChat();
    const mark = h.connector.calls.length;
    expect(await h.app.runDueJobs()).toBe(0);
    expect(h.connector.since(mark)).toHaveLength(0);

    h.clock.advance(90 * DAY + 60_000);
    await h.app.runDueJobs();
    const sent = h.connector.since(mark);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.conversationId).toBe(PERSONAL_CONVERSATION);
    expect(['send', 'reply']).toContain(sent[0]!.kind);
    const card = onlyCard(sent[0]!);
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
    expect(textsOf(card)[0]).toBe(`Check-in for ${id}`);
    const fmInputs = elements(card).filter((e) => e.type === 'Input.ChoiceSet' && e.id.startsWith('fm:'));
    const predicted = h.query((db) => db.prepare('SELECT failure_mode FROM predictions WHERE consultation_id = ? ORDER BY id').all(id) as Array<{ failure_mode: string }>);
    expect(fmInputs.map((e) => (e.type === 'Input.ChoiceSet' ? e.id : ''))).toEqual(predicted.map((p) => `fm:${p.failure_mode}`));
    expect(fmInputs[0]).toMatchObject({ choices: [{ value: 'happened' }, { value: 'not-happened' }, { value: 'too-early' }] });
    expect(elements(card).map((e) => e.type)).toEqual(expect.arrayContaining(['Input.Number', 'Input.Toggle']));
    checkIn = { responseId: sent[0]!.responseId, card };
  });

  it('refuses outcomes from someone who did not ask (a check-in card opened in a channel), and stores nothing', async () => {
    const opened = await exchange(h, channelMention(h, `resolve ${id}`, BOB));
    const card = onlyCard(opened.calls[0]!);
    expect(textsOf(card)[0]).toBe(`Check-in for ${id}`);
    const res = await exchange(h, cardSubmit(h, { replyToId: opened.calls[0]!.responseId, data: action(card, 'Save outcomes').data, inputs: { 'fm:learning-curve-stall': 'happened' }, from: BOB, inChannel: true }));
    expect(res.calls).toHaveLength(1);
    expect(textOf(res.calls[0]!)).toMatch(/Only the person who asked/);
    expect(outcomes(id)).toEqual([]);
  });

  it('shows an invalid cost on the card and stores nothing', async () => {
    const res = await exchange(h, cardSubmit(h, { replyToId: checkIn!.responseId, data: action(checkIn!.card, 'Save outcomes').data, inputs: { 'fm:learning-curve-stall': 'happened', cost: '-5' } }));
    expect(res.calls.map((c) => c.kind)).toEqual(['update']);
    expect(textsOf(onlyCard(res.calls[0]!))).toContain('⚠ Enter a number of dollars, 0 or more.');
    expect(outcomes(id)).toEqual([]);
  });

  it('records the outcomes, cost and months from the card submit and updates the card', async () => {
    const res = await exchange(
      h,
      cardSubmit(h, {
        replyToId: checkIn!.responseId,
        data: action(checkIn!.card, 'Save outcomes').data,
        inputs: { 'fm:learning-curve-stall': 'happened', 'fm:etcd-control-plane-incident': 'not-happened', 'fm:rbac-security-gap': 'too-early', cost: '150000', months: '8', notAdopted: 'false' },
      }),
    );
    expect(res.calls.map((c) => c.kind)).toEqual(['update']);
    expect(res.calls[0]!.activityId).toBe(checkIn!.responseId);
    const updated = onlyCard(res.calls[0]!);
    expect(textsOf(updated).join(' ')).toMatch(/Saved/);
    expect(elements(updated).find((e) => e.type === 'Input.ChoiceSet' && e.id === 'fm:learning-curve-stall')).toMatchObject({ value: 'happened' });
    const stored = outcomes(id);
    expect(stored).toEqual(
      expect.arrayContaining([
        { fm: 'learning-curve-stall', happened: 1, recorded_by: ADA.aadObjectId },
        { fm: 'etcd-control-plane-incident', happened: 0, recorded_by: ADA.aadObjectId },
      ]),
    );
    expect(stored.find((o) => o.fm === 'rbac-security-gap')?.happened ?? null).toBeNull();
    expect(actuals(id)).toEqual([{ kind: 'cost', value: 150000 }, { kind: 'time', value: 8 }]);
  });
});

describe('teams weekly digest', () => {
  it('posts the digest with its chart as a new post in the channel set with the digest command', async () => {
    const set = await exchange(h, channelMention(h, 'digest monday 09:00 UTC'));
    expect(textOf(set.calls[0]!)).toMatch(/^Done: Ada Lovelace set the weekly accuracy digest to this channel, monday at 09:00 UTC/);
    expect(h.query((db) => db.prepare('SELECT digest_channel FROM workspace_settings WHERE workspace = ?').get(TENANT))).toEqual({ digest_channel: CHANNEL });

    const mark = h.connector.calls.length;
    // The next Monday 09:00 UTC after "now" (90 days after a Monday, so "now" is a Sunday).
    h.clock.advance(2 * DAY);
    await h.app.runDueJobs();
    const posted = h.connector.since(mark);
    expect(posted.map((c) => c.kind)).toEqual(['create']);
    const create = posted[0]!;
    expect(create.path).toBe('/v3/conversations');
    expect(create.body).toMatchObject({ isGroup: true, channelData: { channel: { id: CHANNEL } } });
    const activity = create.body.activity as { text: string; attachments: Array<{ contentType: string; contentUrl?: string }> };
    expect(activity.text).toMatch(/^reality-check weekly accuracy digest — 2025-W/);
    const card = cardsOf(create)[0]!;
    expect(card.fallbackText).toMatch(/Predictions resolved this week: 0; resolved in all: 2/);
    expect(textsOf(card).join('\n')).toMatch(/Brier score/);
    const image = activity.attachments.find((a) => a.contentType === 'image/png');
    expect(image?.contentUrl).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);

    // Done once: another pass the same week posts nothing.
    await h.app.runDueJobs();
    expect(h.connector.since(mark)).toHaveLength(1);
  });
});

describe('teams check-in for someone only seen in a channel', () => {
  it('opens a 1:1 chat with them and sends the check-in card there', async () => {
    const asked = await exchange(h, channelMention(h, 'should we use kubernetes?', BOB, '1740000009999'));
    const card = onlyCard(asked.calls[0]!);
    await exchange(h, cardSubmit(h, { replyToId: asked.calls[0]!.responseId, data: action(card, 'Get verdict').data, inputs: { topic: 'kubernetes', ...inputs(KUBERNETES_ANSWERS) }, from: BOB, inChannel: true }));
    const id = h.query((db) => db.prepare('SELECT id FROM consultations WHERE user_id = ?').get(BOB.aadObjectId) as { id: string }).id;

    const mark = h.connector.calls.length;
    h.clock.advance(91 * DAY);
    await h.app.runDueJobs();
    const created = h.connector.since(mark, 'create').find((c) => Array.isArray(c.body.members) && JSON.stringify(c.body.members).includes(BOB.id));
    expect(created?.body).toMatchObject({ isGroup: false, members: [{ id: BOB.id }], tenantId: TENANT });
    const sent = h.connector.since(mark).find((c) => c.conversationId === created!.responseId);
    expect(textsOf(onlyCard(sent!))[0]).toBe(`Check-in for ${id}`);
    // The new 1:1 chat is remembered for next time.
    const ref = h.query((db) => db.prepare('SELECT ref_json FROM conversation_references WHERE workspace = ? AND ref_key = ?').get(TENANT, `user:${BOB.aadObjectId}`) as { ref_json: string });
    expect(JSON.parse(ref.ref_json).conversation.id).toBe(created!.responseId);
  });
});
