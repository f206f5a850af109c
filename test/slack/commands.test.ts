// The slash command's other answers: help (with topic buttons that open the modal from a channel) and
// list (sent to the command's response_url).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { CHANNEL, checkpoint, consultViaModal, messageAction, startSlackApp, type Block, type SlackHarness, type ViewArg } from './harness.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackApp();
});

afterAll(async () => {
  await h?.stop();
});

describe('/reality-check help', () => {
  for (const text of ['help', '']) {
    it(`"${text}" answers with ephemeral help and a button per topic, without any Web API call`, async () => {
      const before = h.api.calls.length;
      const res = await h.command(text);
      expect(res.status).toBe(200);
      const reply = (await res.json()) as { response_type: string; text: string; blocks: Block[] };
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.blocks[0]!.text!.text).toContain('`/reality-check <your question>`');
      const buttons = reply.blocks.find((b) => b.block_id === 'topics')!.elements!;
      expect(buttons.map((b) => b.action_id).sort()).toEqual([...kb.topics.keys()].map((t) => `start_topic:${t}`).sort());
      expect(buttons.map((b) => b.value).sort()).toEqual([...kb.topics.keys()].sort());
      // The whole answer is the HTTP response; the listener makes no call after it.
      expect(h.api.calls.length).toBe(before);
    });
  }

  it('a topic button on the channel help opens the modal for that topic', async () => {
    const mark = checkpoint(h.api);
    await h.interact(
      messageAction({
        channel: CHANNEL,
        messageTs: '1700005000.000100',
        ephemeral: true,
        triggerId: 'trigger-help-topic',
        action: { type: 'button', action_id: 'start_topic:microservices', block_id: 'topics', value: 'microservices', text: { type: 'plain_text', text: 'Microservices' } },
      }),
    );
    const [open] = await mark.wait('views.open');
    expect(open!.args.trigger_id).toBe('trigger-help-topic');
    const view = open!.args.view as ViewArg;
    const topic = kb.topics.get('microservices')!;
    expect(JSON.parse(view.private_metadata!)).toEqual({ channel: CHANNEL, question: `Should we adopt ${topic.title.toLowerCase()}?`, topic: 'microservices', dm: false, at: expect.any(Number) });
    expect(view.blocks.filter((b) => b.block_id?.startsWith('q:')).map((b) => b.block_id)).toEqual(topic.questions.map((q) => `q:${q.id}`));
  });
});

describe('/reality-check list', () => {
  it('says there are none yet, through the response_url', async () => {
    const mark = checkpoint(h.api);
    const res = await h.command('list', { response_url: h.api.responseUrl('list-empty') });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const [reply] = await mark.wait('response_url');
    expect(reply!.args.path).toBe('/response/list-empty');
    expect(reply!.args.response_type).toBe('ephemeral');
    expect(String(reply!.args.text)).toMatch(/^You have no consultations yet/);
  });

  it('lists the user’s consultations with their ids, escaped questions and check-in dates', async () => {
    const { id } = await consultViaModal(h, { viewId: 'VLIST1', visibility: 'me', text: 'should we use kubernetes? <!channel>' });
    const row = h.query((db) => db.prepare('SELECT verdict, check_in_at FROM consultations WHERE id = ?').get(id) as { verdict: string; check_in_at: number });
    const mark = checkpoint(h.api);
    await h.command('list', { response_url: h.api.responseUrl('list-one') });
    const [reply] = await mark.wait('response_url');
    const text = String(reply!.args.text);
    expect(text).toMatch(/^Your recent consultations:\n/);
    expect(text).toContain(`\`${id}\``);
    expect(text).toContain(`*${row.verdict}* (kubernetes)`);
    expect(text).toContain('should we use kubernetes? &lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain(`check-in ${new Date(row.check_in_at).toISOString().slice(0, 10)}`);

    // Another user's list does not show it.
    const mark2 = checkpoint(h.api);
    await h.command('list', { user_id: 'U0002', response_url: h.api.responseUrl('list-other') });
    const [otherReply] = await mark2.wait('response_url');
    expect(String(otherReply!.args.text)).toMatch(/^You have no consultations yet/);
  });
});
