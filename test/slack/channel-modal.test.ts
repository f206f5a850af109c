// Channel consultations through the modal: slash command → views.open, topic change → views.update,
// view_submission → stored consultation and a posted verdict, validation errors, redelivery, escaping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERDICT_LABELS, type Verdict } from '../../src/consult/assess.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { consultationIdFromKey } from '../../src/service/consult-service.js';
import {
  actionIds,
  allText,
  blocksOf,
  buttonValue,
  checkpoint,
  CHANNEL,
  KUBERNETES_ANSWERS,
  openModal as openModalFor,
  postedTs,
  startSlackApp,
  TEAM,
  USER,
  viewSubmission,
  type SlackHarness,
  type ViewArg,
} from './harness.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);
const questionIds = (topic: string): string[] => kb.topics.get(topic)!.questions.map((q) => q.id);

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackApp();
});

afterAll(async () => {
  await h?.stop();
});

interface ConsultationDbRow {
  id: string;
  workspace: string;
  platform: string;
  channel: string | null;
  user_id: string;
  question: string;
  topic: string;
  answers_json: string;
  verdict: string;
}

async function openModal(text: string): Promise<{ view: ViewArg }> {
  return { view: await openModalFor(h, text) };
}

function allConsultations(): ConsultationDbRow[] {
  return h.query((db) => db.prepare('SELECT * FROM consultations ORDER BY created_at').all() as ConsultationDbRow[]);
}

function rowById(id: string): ConsultationDbRow | undefined {
  return h.query((db) => db.prepare('SELECT * FROM consultations WHERE id = ?').get(id) as ConsultationDbRow | undefined);
}

describe('channel consultation through the modal', () => {
  it('opens the modal with the detected topic’s questions and a visibility choice', async () => {
    const { view } = await openModal('should we use kubernetes?');
    expect(view.type).toBe('modal');
    expect(view.callback_id).toBe('consult_modal');
    const meta = JSON.parse(view.private_metadata!) as { channel: string; question: string; topic: string; dm: boolean; at: number };
    expect(meta).toEqual({ channel: CHANNEL, question: 'should we use kubernetes?', topic: 'kubernetes', dm: false, at: expect.any(Number) });
    expect(Math.abs(meta.at - Date.now())).toBeLessThan(60_000); // when it was opened: part of the consultation's id

    const inputs = view.blocks.filter((b) => b.type === 'input');
    const questionInputs = inputs.filter((b) => b.block_id?.startsWith('q:'));
    expect(questionInputs.map((b) => b.block_id)).toEqual(questionIds('kubernetes').map((id) => `q:${id}`));
    // Every question is a static select offering exactly the knowledge base's choices.
    for (const q of kb.topics.get('kubernetes')!.questions) {
      const block = questionInputs.find((b) => b.block_id === `q:${q.id}`)!;
      expect(block.element?.type).toBe('static_select');
      expect(block.element?.action_id).toBe('choice');
      expect(block.element?.options?.map((o) => o.value)).toEqual(q.choices.map((c) => c.id));
      // Conditional questions are optional in the modal; the rest are required.
      expect(block.optional).toBe(q.when !== undefined);
    }
    const visibility = inputs.find((b) => b.block_id === 'visibility')!;
    expect(visibility.element?.type).toBe('radio_buttons');
    expect(visibility.element?.options?.map((o) => o.value)).toEqual(['channel', 'thread', 'me']);
    expect(visibility.element?.initial_option?.value).toBe('thread');
  });

  it('thread visibility: saves the consultation with its predictions and posts a parent plus a threaded verdict', async () => {
    const { view } = await openModal('should we use kubernetes?');
    const mark = checkpoint(h.api);
    const res = await h.interact(viewSubmission({ viewId: 'VTHREAD1', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'thread' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(''); // an empty 200 closes the modal

    await mark.wait('chat.postMessage', 2);
    const [parent, verdict] = mark.calls('chat.postMessage');
    expect(parent!.args.channel).toBe(CHANNEL);
    expect(parent!.args.thread_ts).toBeUndefined();
    expect(parent!.args.text).toContain(`<@${USER}> asked reality-check: “should we use kubernetes?”`);
    expect(verdict!.args.channel).toBe(CHANNEL);
    expect(verdict!.args.thread_ts).toBe(postedTs(parent!));

    const id = buttonValue(verdict!, 'verdict_explain');
    // The delivery's own id, starting with the minute the modal was opened: ids sort by time.
    expect(id).toBe(consultationIdFromKey(`slack-view:${TEAM}:VTHREAD1`, (JSON.parse(view.private_metadata!) as { at: number }).at));
    expect(id).toMatch(/^rc-[0-9a-z]{14}$/);
    const row = rowById(id!)!;
    expect(row).toMatchObject({ workspace: TEAM, platform: 'slack', channel: CHANNEL, user_id: USER, question: 'should we use kubernetes?', topic: 'kubernetes' });
    expect(JSON.parse(row.answers_json)).toEqual(KUBERNETES_ANSWERS);
    const predictions = h.query((db) => db.prepare('SELECT failure_mode, probability FROM predictions WHERE consultation_id = ?').all(id) as Array<{ failure_mode: string; probability: number }>);
    expect(predictions.length).toBeGreaterThan(0);
    for (const p of predictions) expect(p.probability).toBeGreaterThan(0);
    const estimates = h.query((db) => db.prepare('SELECT kind FROM estimates WHERE consultation_id = ? ORDER BY kind').all(id) as Array<{ kind: string }>);
    expect(estimates.map((e) => e.kind)).toEqual(['cost', 'time']);

    const blocks = blocksOf(verdict!);
    expect(blocks[0]!.type).toBe('header');
    expect(blocks[0]!.text!.text).toBe(`${VERDICT_LABELS[row.verdict as Verdict]}: ${kb.topics.get('kubernetes')!.title}`);
    expect(actionIds(verdict!)).toEqual(['verdict_explain', 'verdict_export_adr', 'verdict_change_check_in']);
    for (const action of ['verdict_explain', 'verdict_export_adr', 'verdict_change_check_in']) expect(buttonValue(verdict!, action)).toBe(id);
    // The check-in job exists for the stored consultation.
    const job = h.query((db) => db.prepare('SELECT kind FROM scheduled_jobs WHERE job_key = ?').get(`check-in:${id}`) as { kind: string } | undefined);
    expect(job?.kind).toBe('check-in');
  });

  it("channel visibility posts the verdict once, straight to the channel", async () => {
    const { view } = await openModal('should we use kubernetes?');
    const mark = checkpoint(h.api);
    const res = await h.interact(viewSubmission({ viewId: 'VCHANNEL1', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'channel' }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await mark.wait('chat.postMessage', 1);
    // A later, independent submission ('me') is the observable event after which a second channel post
    // from this one would already have been made.
    const { view: other } = await openModal('should we use kubernetes?');
    const mark2 = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VCHANNEL1-later', privateMetadata: other.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'me' }));
    await mark2.wait('chat.postMessage', 1);

    const posts = mark.calls('chat.postMessage').filter((c) => c.args.channel === CHANNEL);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.thread_ts).toBeUndefined();
    expect(actionIds(posts[0]!)).toContain('verdict_explain');
    expect(rowById(buttonValue(posts[0]!, 'verdict_explain')!)?.channel).toBe(CHANNEL);
  });

  it("'me' visibility posts the verdict to the user only", async () => {
    const { view } = await openModal('should we use kubernetes?');
    const mark = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VME1', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'me' }));
    await mark.wait('chat.postMessage', 1);
    // Same "later event" reasoning as above: a following 'thread' submission's posts come after.
    const { view: other } = await openModal('should we use kubernetes?');
    const mark2 = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VME1-later', privateMetadata: other.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'thread' }));
    await mark2.wait('chat.postMessage', 2);

    const all = mark.calls('chat.postMessage');
    const mine = all.slice(0, all.length - mark2.calls('chat.postMessage').length);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.args.channel).toBe(USER);
    expect(blocksOf(mine[0]!)[0]!.type).toBe('header');
    expect(actionIds(mine[0]!)).toContain('verdict_export_adr');
  });

  it('when detection is unsure, says which topics it considered and offers each as a one-click choice', async () => {
    const { view } = await openModal('is it worth adding mutual TLS to internal gRPC calls');
    const choices = view.blocks.find((b) => b.block_id === 'topic_choices');
    expect(choices?.type).toBe('actions');
    const buttons = choices!.elements!;
    expect(buttons.map((b) => b.value).slice(0, 2)).toEqual(['zero-trust', 'microservices']);
    expect(buttons.every((b) => b.type === 'button' && b.action_id?.startsWith('modal_topic_pick:'))).toBe(true);
    expect(view.blocks.some((b) => b.text?.text.includes(kb.topics.get('microservices')!.title))).toBe(true);

    const mark = checkpoint(h.api);
    const microservices = buttons.find((b) => b.value === 'microservices')!;
    const res = await h.interact({
      type: 'block_actions',
      team: { id: TEAM, domain: 'fake' },
      user: { id: USER, username: 'ada', name: 'ada', team_id: TEAM },
      api_app_id: 'A0001',
      token: 'deprecated',
      trigger_id: 'trigger-topic-pick',
      container: { type: 'view', view_id: 'VPICK1' },
      view: { id: 'VPICK1', hash: '1700000000.pick', type: 'modal', callback_id: 'consult_modal', private_metadata: view.private_metadata, blocks: view.blocks, state: { values: {} }, team_id: TEAM, app_id: 'A0001' },
      actions: [{ type: 'button', action_id: microservices.action_id, block_id: 'topic_choices', value: 'microservices', text: { type: 'plain_text', text: 'Microservices' }, action_ts: '1700000000.000009' }],
    });
    expect(res.status).toBe(200);
    const [update] = await mark.wait('views.update');
    const updated = update!.args.view as ViewArg;
    expect(updated.blocks.filter((b) => b.block_id?.startsWith('q:')).map((b) => b.block_id)).toEqual(questionIds('microservices').map((id) => `q:${id}`));
    expect(JSON.parse(updated.private_metadata!)).toMatchObject({ topic: 'microservices' });
    // The choice was made: the swapped modal offers no choices any more.
    expect(updated.blocks.some((b) => b.block_id === 'topic_choices')).toBe(false);
  });

  it('a question on technology without a topic of its own says it gets the general assessment', async () => {
    const { view } = await openModal('should we adopt Kafka for our event bus?');
    expect(JSON.parse(view.private_metadata!)).toMatchObject({ topic: 'general' });
    const context = view.blocks.filter((b) => b.type === 'context').flatMap((b) => (b.elements ?? []).map((e) => String(e.text)));
    expect(context).toContain('No specific war stories on Kafka yet; this is the general assessment.');
    expect(view.blocks.some((b) => b.block_id === 'topic_choices')).toBe(false);
  });

  it('changing the topic in the modal swaps in that topic’s questions with views.update', async () => {
    const { view } = await openModal('should we use kubernetes?');
    const before = h.api.callsTo('views.update').length;
    const res = await h.interact({
      type: 'block_actions',
      team: { id: TEAM, domain: 'fake' },
      user: { id: USER, username: 'ada', name: 'ada', team_id: TEAM },
      api_app_id: 'A0001',
      token: 'deprecated',
      trigger_id: 'trigger-topic-change',
      container: { type: 'view', view_id: 'VTOPIC1' },
      view: { id: 'VTOPIC1', hash: '1700000000.abcdef', type: 'modal', callback_id: 'consult_modal', private_metadata: view.private_metadata, blocks: view.blocks, state: { values: {} }, team_id: TEAM, app_id: 'A0001' },
      actions: [
        {
          type: 'static_select',
          action_id: 'modal_topic',
          block_id: 'topic',
          selected_option: { text: { type: 'plain_text', text: 'Microservices' }, value: 'microservices' },
          initial_option: { text: { type: 'plain_text', text: 'Kubernetes' }, value: 'kubernetes' },
          action_ts: '1700000000.000001',
        },
      ],
    });
    expect(res.status).toBe(200);
    await h.api.waitFor('views.update', before + 1);
    const update = h.api.callsTo('views.update')[before]!;
    expect(update.args.view_id).toBe('VTOPIC1');
    expect(update.args.hash).toBe('1700000000.abcdef');
    const updated = update.args.view as ViewArg;
    expect(updated.blocks.filter((b) => b.block_id?.startsWith('q:')).map((b) => b.block_id)).toEqual(questionIds('microservices').map((id) => `q:${id}`));
    expect(JSON.parse(updated.private_metadata!)).toEqual({ channel: CHANNEL, question: 'should we use kubernetes?', topic: 'microservices', dm: false, at: JSON.parse(view.private_metadata!).at });
  });
});

describe('invalid submissions', () => {
  async function rejects(viewId: string, answers: Record<string, string>): Promise<Record<string, string>> {
    const { view } = await openModal('should we use kubernetes?');
    const rowsBefore = allConsultations().length;
    const mark = checkpoint(h.api);
    const res = await h.interact(viewSubmission({ viewId, privateMetadata: view.private_metadata!, answers, visibility: 'channel' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    // The listener returns right after this ack, so nothing can be stored or posted after the response.
    expect(allConsultations()).toHaveLength(rowsBefore);
    expect(mark.calls('chat.postMessage')).toEqual([]);
    return body.errors;
  }

  it('a missing required answer is reported on its block and nothing is stored or posted', async () => {
    const { oncall: _omitted, ...answers } = KUBERNETES_ANSWERS;
    const errors = await rejects('VINVALID1', answers);
    expect(Object.keys(errors)).toEqual(['q:oncall']);
    expect(errors['q:oncall']).toMatch(/answer/i);
  });

  it('a conditional question that applies must be answered too', async () => {
    const errors = await rejects('VINVALID2', { ...KUBERNETES_ANSWERS, 'team-size': '50-200' });
    expect(Object.keys(errors)).toEqual(['q:shared-clusters']);
  });

  it('a choice that is not one of the question’s options is reported on its block', async () => {
    const errors = await rejects('VINVALID3', { ...KUBERNETES_ANSWERS, hosting: 'mainframe' });
    expect(Object.keys(errors)).toEqual(['q:hosting']);
    expect(errors['q:hosting']).toContain('mainframe');
    expect(errors['q:hosting']!.length).toBeLessThanOrEqual(150);
  });
});

describe('redelivered view_submission', () => {
  it('the same submission delivered twice stores one consultation and posts one verdict', async () => {
    const { view } = await openModal('should we use kubernetes twice?');
    const payload = viewSubmission({ viewId: 'VDUP1', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'channel' });
    const mark = checkpoint(h.api);
    const first = await h.interact(payload);
    expect(first.status).toBe(200);
    await mark.wait('chat.postMessage', 1);
    const second = await h.interact(payload, { retryNum: 1 });
    expect(second.status).toBe(200);
    expect(await second.text()).toBe('');
    // Observable later event: another submission's DM post. A second channel post from the redelivery
    // would have been sent before it.
    const { view: other } = await openModal('should we use kubernetes?');
    const mark2 = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VDUP1-later', privateMetadata: other.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'me' }));
    await mark2.wait('chat.postMessage', 1);

    const channelPosts = mark.calls('chat.postMessage').filter((c) => c.args.channel === CHANNEL);
    expect(channelPosts).toHaveLength(1);
    const rows = allConsultations().filter((r) => r.question === 'should we use kubernetes twice?');
    expect(rows).toHaveLength(1);
    expect(buttonValue(channelPosts[0]!, 'verdict_explain')).toBe(rows[0]!.id);
  });
});

describe('escaping what people typed', () => {
  const raw = 'should we use kubernetes? <!channel> <@U999> & more';
  const escaped = 'should we use kubernetes? &lt;!channel&gt; &lt;@U999&gt; &amp; more';

  it('keeps the raw question in the modal metadata and the row, and never echoes control sequences', async () => {
    const { view } = await openModal(raw);
    expect(JSON.parse(view.private_metadata!).question).toBe(raw);
    const shown = view.blocks[0]!.text!.text;
    expect(shown).toContain(escaped);
    expect(shown).not.toContain('<!channel>');

    const mark = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VESCAPE1', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'channel' }));
    await mark.wait('chat.postMessage', 1);
    const post = mark.calls('chat.postMessage')[0]!;
    expect(post.args.channel).toBe(CHANNEL);
    const texts = allText(post);
    expect(texts.some((t) => t.includes(escaped))).toBe(true);
    for (const t of texts) {
      expect(t).not.toContain('<!channel>');
      expect(t).not.toContain('<@U999>');
    }
    const row = rowById(buttonValue(post, 'verdict_explain')!)!;
    expect(row.question).toBe(raw);
  });

  it('escapes the question in the thread parent message too', async () => {
    const { view } = await openModal(raw);
    const mark = checkpoint(h.api);
    await h.interact(viewSubmission({ viewId: 'VESCAPE2', privateMetadata: view.private_metadata!, answers: KUBERNETES_ANSWERS, visibility: 'thread' }));
    await mark.wait('chat.postMessage', 2);
    const posts = mark.calls('chat.postMessage');
    expect(posts[0]!.args.text).toContain(`“${escaped}”`);
    for (const post of posts) {
      for (const t of allText(post)) {
        expect(t).not.toContain('<!channel>');
        expect(t).not.toContain('<@U999>');
      }
    }
  });
});
