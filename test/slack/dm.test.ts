// The DM questionnaire: a message in the bot's DM starts it in a thread, block actions walk it with
// chat.update (back, select, cancel), it survives a restart, and retried deliveries are dropped.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUESTIONNAIRE_KEPT_DAYS } from '../../src/consult/conversation.js';
import { VERDICT_LABELS, type Verdict } from '../../src/consult/assess.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { consultationIdFromKey as idFromKey } from '../../src/service/consult-service.js';
import type { RecordedCall } from '../fakes/slack-api.js';
import {
  actionIds,
  allText,
  blocksOf,
  buttonValue,
  checkpoint,
  eventually,
  messageAction,
  postedTs,
  startSlackApp,
  TEAM,
  USER,
  type Block,
  type SlackHarness,
} from './harness.js';

const DM = 'D0001';
const kb = loadKnowledge(KNOWLEDGE_DIR);
const microservices = kb.topics.get('microservices')!;

let h: SlackHarness;
let tsSeq = 0;

beforeAll(async () => {
  h = await startSlackApp();
});

afterAll(async () => {
  await h?.stop();
});

/** A fresh message ts, as Slack gives each message its own. */
function nextTs(): string {
  tsSeq += 1;
  return `1700001${String(tsSeq).padStart(3, '0')}.000200`;
}

function dmEvent(text: string, ts: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'message', channel: DM, channel_type: 'im', user: USER, text, ts, event_ts: ts, team: TEAM, ...extra };
}

interface Thread {
  /** The user's message: the questionnaire's thread. */
  threadTs: string;
  /** The bot's message that chat.update keeps rewriting. */
  messageTs: string;
  /** The latest rendering of that message. */
  latest: RecordedCall;
}

/** Sends a DM question and waits for the first step posted in its thread. */
async function startQuestionnaire(text: string, eventId: string): Promise<Thread> {
  const threadTs = nextTs();
  const mark = checkpoint(h.api);
  const res = await h.event(dmEvent(text, threadTs), eventId);
  expect(res.status).toBe(200);
  const [post] = await mark.wait('chat.postMessage');
  expect(post!.args.channel).toBe(DM);
  expect(post!.args.thread_ts).toBe(threadTs);
  const thread = { threadTs, messageTs: postedTs(post!), latest: post! };
  // The app stores the questionnaire once chat.postMessage has answered with the message's ts.
  // The row is written before the post and gets the message's ts once Slack answers.
  await eventually(() => (conversationRow(thread)?.message_ref ? true : undefined));
  return thread;
}

function answerBlock(call: RecordedCall): Block | undefined {
  return blocksOf(call).find((b) => b.block_id?.startsWith('answer:'));
}

/** The question id the message currently asks. */
function askedQuestion(call: RecordedCall): string | undefined {
  return answerBlock(call)?.block_id?.slice('answer:'.length);
}

function stepText(call: RecordedCall): string {
  return blocksOf(call).find((b) => b.block_id === 'topic')?.text?.text ?? '';
}

/** Clicks something on the questionnaire message and waits for the chat.update it causes. */
async function click(thread: Thread, action: Record<string, unknown>, user = USER): Promise<RecordedCall> {
  const mark = checkpoint(h.api);
  const res = await h.interact(messageAction({ channel: DM, messageTs: thread.messageTs, threadTs: thread.threadTs, action, user }));
  expect(res.status).toBe(200);
  const [update] = await mark.wait('chat.update');
  expect(update!.args.channel).toBe(DM);
  expect(update!.args.ts).toBe(thread.messageTs);
  thread.latest = update!;
  return update!;
}

/** Presses the answer button at `index` of the step currently shown. */
function answerButton(thread: Thread, index = 0): Record<string, unknown> {
  const block = answerBlock(thread.latest);
  expect(block, 'the current step has answer buttons').toBeDefined();
  const button = block!.elements![index]!;
  expect(button.type).toBe('button');
  return { type: 'button', action_id: button.action_id, block_id: block!.block_id, value: button.value, text: button.text };
}

function conversationRow(thread: Thread): { user_id: string; state_json: string; message_ref: string } | undefined {
  return h.query(
    (db) =>
      db.prepare("SELECT user_id, state_json, message_ref FROM conversations WHERE workspace = ? AND platform = 'slack' AND conversation_key = ?").get(TEAM, `${DM}:${thread.threadTs}`) as
        | { user_id: string; state_json: string; message_ref: string }
        | undefined,
  );
}

describe('DM questionnaire', () => {
  it('walks the questions with chat.update, including back and a select, and ends with the verdict', async () => {
    const thread = await startQuestionnaire('should we split the monolith into microservices?', 'EvWalk1');
    const qs = microservices.questions;
    expect(askedQuestion(thread.latest)).toBe(qs[0]!.id);
    expect(stepText(thread.latest)).toContain('>should we split the monolith into microservices?');
    expect(stepText(thread.latest)).toContain(`Topic: *${microservices.title}* — question 1 of`);
    expect(allText(thread.latest)).toContain(`*${qs[0]!.text}*`);
    // One button per choice, each carrying {q, c}; the first step has cancel but no back.
    expect(answerBlock(thread.latest)!.elements!.map((e) => JSON.parse(String(e.value)) as unknown)).toEqual(qs[0]!.choices.map((c) => ({ q: qs[0]!.id, c: c.id })));
    expect(actionIds(thread.latest)).toContain('dm_cancel');
    expect(actionIds(thread.latest)).not.toContain('dm_back');
    expect(conversationRow(thread)?.message_ref).toBe(thread.messageTs);

    const chosen: Record<string, string> = {};
    // Step 1 → 2.
    chosen[qs[0]!.id] = qs[0]!.choices[0]!.id;
    await click(thread, answerButton(thread, 0));
    expect(askedQuestion(thread.latest)).toBe(qs[1]!.id);
    expect(stepText(thread.latest)).toContain('question 2 of');
    expect(actionIds(thread.latest)).toContain('dm_back');
    // Step 2 → 3 with the second choice, then back to step 2: the answer is taken back.
    await click(thread, answerButton(thread, 1));
    expect(askedQuestion(thread.latest)).toBe(qs[2]!.id);
    expect(stepText(thread.latest)).toContain('question 3 of');
    await click(thread, { type: 'button', action_id: 'dm_back', block_id: 'controls', value: 'back' });
    expect(askedQuestion(thread.latest)).toBe(qs[1]!.id);
    expect(stepText(thread.latest)).toContain('question 2 of');
    expect(JSON.parse(conversationRow(thread)!.state_json).answers).toEqual({ [qs[0]!.id]: qs[0]!.choices[0]!.id });

    // Answer step 2 through the select listener (Slack renders a select for questions with more than five
    // choices; no knowledge-base question has that many today, so the payload is built the same way).
    chosen[qs[1]!.id] = qs[1]!.choices[2]!.id;
    await click(thread, {
      type: 'static_select',
      action_id: 'dm_select',
      block_id: `answer:${qs[1]!.id}`,
      selected_option: { text: { type: 'plain_text', text: qs[1]!.choices[2]!.label }, value: JSON.stringify({ q: qs[1]!.id, c: qs[1]!.choices[2]!.id }) },
    });
    expect(askedQuestion(thread.latest)).toBe(qs[2]!.id);

    // The rest: always the first button, until the message turns into the verdict.
    for (let guard = 0; guard < 20 && askedQuestion(thread.latest); guard++) {
      const qid = askedQuestion(thread.latest)!;
      const value = JSON.parse(String(answerButton(thread, 0).value)) as { q: string; c: string };
      expect(value.q).toBe(qid);
      chosen[qid] = value.c;
      await click(thread, answerButton(thread, 0));
    }
    const verdict = thread.latest;
    expect(askedQuestion(verdict)).toBeUndefined();
    const blocks = blocksOf(verdict);
    expect(blocks[0]!.type).toBe('header');
    expect(actionIds(verdict)).toEqual(['verdict_explain', 'verdict_export_adr', 'verdict_change_check_in']);

    const id = buttonValue(verdict, 'verdict_explain')!;
    expect(id).toBe(idFromKey(`slack-dm:${TEAM}:${DM}:${thread.threadTs}`, Number(thread.threadTs) * 1000));
    const row = h.query((db) => db.prepare('SELECT * FROM consultations WHERE id = ?').get(id) as { workspace: string; platform: string; channel: string; user_id: string; question: string; topic: string; answers_json: string; verdict: string } | undefined);
    expect(row).toMatchObject({ workspace: TEAM, platform: 'slack', channel: DM, user_id: USER, question: 'should we split the monolith into microservices?', topic: 'microservices' });
    expect(JSON.parse(row!.answers_json)).toEqual(chosen);
    expect(blocks[0]!.text!.text).toBe(`${VERDICT_LABELS[row!.verdict as Verdict]}: ${microservices.title}`);
    const predictions = h.query((db) => db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE consultation_id = ?').get(id) as { n: number });
    expect(predictions.n).toBeGreaterThan(0);
    // The finished questionnaire's state is gone.
    expect(conversationRow(thread)).toBeUndefined();
  });

  it('a stale button (an earlier step) or someone else’s click changes nothing', async () => {
    const thread = await startQuestionnaire('should we split the monolith into microservices?', 'EvStale1');
    const firstStep = answerButton(thread, 0);
    await click(thread, firstStep);
    const stateAfterOne = conversationRow(thread)!.state_json;

    const mark = checkpoint(h.api);
    await h.interact(messageAction({ channel: DM, messageTs: thread.messageTs, threadTs: thread.threadTs, action: firstStep }));
    await h.interact(messageAction({ channel: DM, messageTs: thread.messageTs, threadTs: thread.threadTs, action: answerButton(thread, 0), user: 'U0002' }));
    // Observable later event: a real click's chat.update. Updates from the two ignored clicks would come first.
    const update = await click(thread, answerButton(thread, 0));
    expect(mark.calls('chat.update')).toEqual([update]);
    expect(JSON.parse(conversationRow(thread)!.state_json).history).toHaveLength(2);
    expect(JSON.parse(stateAfterOne).history).toHaveLength(1);
    expect(conversationRow(thread)!.user_id).toBe(USER);
    // Both ignored clicks are explained to the person who made them, by DM from the one error handler.
    const explained = await eventually(() => {
      const dms = h.api.callsTo('chat.postMessage').filter((c) => c.args.channel === 'U0002' || c.args.channel === USER);
      return dms.some((c) => String(c.args.text).includes('belongs to someone else')) && dms.some((c) => String(c.args.text).includes('already been answered')) ? dms : undefined;
    });
    expect(explained.length).toBeGreaterThanOrEqual(2);
  });

  it('a first click that lands while chat.postMessage is still answering is kept', async () => {
    const threadTs = nextTs();
    const mark = checkpoint(h.api);
    const release = h.api.holdNext('chat.postMessage');
    expect((await h.event(dmEvent('should we split the monolith into microservices?', threadTs), 'EvSlowPost1')).status).toBe(200);
    const [post] = await mark.wait('chat.postMessage');
    const thread: Thread = { threadTs, messageTs: postedTs(post!), latest: post! };
    // The user clicks before Slack's answer to chat.postMessage has reached the app.
    await click(thread, answerButton(thread, 0));
    release();
    await eventually(() => (conversationRow(thread)?.message_ref ? true : undefined));
    expect(JSON.parse(conversationRow(thread)!.state_json).history).toHaveLength(1);
    await click(thread, answerButton(thread, 0));
    expect(JSON.parse(conversationRow(thread)!.state_json).history).toHaveLength(2);
  });

  it('an unfinished questionnaire survives a restart on the same database', async () => {
    const thread = await startQuestionnaire('should we split the monolith into microservices?', 'EvRestart1');
    await click(thread, answerButton(thread, 0));
    await click(thread, answerButton(thread, 0));
    const qs = microservices.questions;
    expect(askedQuestion(thread.latest)).toBe(qs[2]!.id);
    const next = answerButton(thread, 0);

    await h.restart();

    const update = await click(thread, next);
    expect(askedQuestion(update)).toBe(qs[3]!.id);
    expect(stepText(update)).toContain('question 4 of');
    expect(JSON.parse(conversationRow(thread)!.state_json).history).toEqual([qs[0]!.id, qs[1]!.id, qs[2]!.id]);
  });

  it('cancel ends it with a chat.update saying so; later clicks say it is over', async () => {
    const thread = await startQuestionnaire('should we split the monolith into microservices?', 'EvCancel1');
    const stale = answerButton(thread, 0);
    const update = await click(thread, { type: 'button', action_id: 'dm_cancel', block_id: 'controls', value: 'cancel' });
    expect(String(update.args.text)).toMatch(/^Cancelled — nothing was saved/);
    expect(update.args.blocks).toEqual([]);
    expect(conversationRow(thread)).toBeUndefined();

    const mark = checkpoint(h.api);
    await h.interact(messageAction({ channel: DM, messageTs: thread.messageTs, threadTs: thread.threadTs, action: stale }));
    const [post] = await mark.wait('chat.postMessage');
    expect(post!.args.channel).toBe(DM);
    expect(post!.args.thread_ts).toBe(thread.threadTs);
    expect(String(post!.args.text)).toMatch(/^That questionnaire is over: it was finished, cancelled, or left unanswered/);
    expect(mark.calls('chat.update')).toEqual([]);
    // Nothing was saved for this thread (its consultation would have the thread's deterministic id).
    const id = idFromKey(`slack-dm:${TEAM}:${DM}:${thread.threadTs}`, Number(thread.threadTs) * 1000);
    expect(h.query((db) => db.prepare('SELECT id FROM consultations WHERE id = ?').get(id))).toBeUndefined();
  });

  it(`a questionnaire left untouched for ${QUESTIONNAIRE_KEPT_DAYS} days is dropped by the scheduler's housekeeping; a later click says so`, async () => {
    const abandoned = await startQuestionnaire('should we split the monolith into microservices?', 'EvAbandoned1');
    const recent = await startQuestionnaire('should we split the monolith into microservices?', 'EvAbandoned2');
    const day = 86_400_000;
    const age = (thread: Thread, days: number) => {
      const db = new Database(h.dbPath);
      try {
        db.prepare("UPDATE conversations SET updated_at = ? WHERE workspace = ? AND platform = 'slack' AND conversation_key = ?").run(Date.now() - days * day, TEAM, `${DM}:${thread.threadTs}`);
      } finally {
        db.close();
      }
    };
    age(abandoned, QUESTIONNAIRE_KEPT_DAYS + 1);
    age(recent, QUESTIONNAIRE_KEPT_DAYS - 1);
    await h.app.runDueJobs();
    expect(conversationRow(abandoned)).toBeUndefined();
    expect(conversationRow(recent)).toBeDefined();

    const mark = checkpoint(h.api);
    await h.interact(messageAction({ channel: DM, messageTs: abandoned.messageTs, threadTs: abandoned.threadTs, action: answerButton(abandoned, 0) }));
    const [post] = await mark.wait('chat.postMessage');
    expect(post!.args.thread_ts).toBe(abandoned.threadTs);
    expect(String(post!.args.text)).toContain(`left unanswered for ${QUESTIONNAIRE_KEPT_DAYS} days`);
    expect(mark.calls('chat.update')).toEqual([]);
    // The other one goes on where it was.
    const update = await click(recent, answerButton(recent, 0));
    expect(askedQuestion(update)).toBe(microservices.questions[1]!.id);
  });

  it('changing the topic restarts the questionnaire on that topic', async () => {
    const thread = await startQuestionnaire('should we split the monolith into microservices?', 'EvTopic1');
    await click(thread, answerButton(thread, 0));
    const update = await click(thread, {
      type: 'static_select',
      action_id: 'dm_topic',
      block_id: 'topic',
      selected_option: { text: { type: 'plain_text', text: 'Kubernetes' }, value: 'kubernetes' },
    });
    expect(askedQuestion(update)).toBe(kb.topics.get('kubernetes')!.questions[0]!.id);
    expect(stepText(update)).toContain(`Topic: *${kb.topics.get('kubernetes')!.title}* — question 1 of`);
    expect(JSON.parse(conversationRow(thread)!.state_json)).toMatchObject({ topic: 'kubernetes', answers: {}, history: [] });
  });
});

describe('DM topic detection', () => {
  it('when unsure, the first step names the topics it considered and a click on one restarts on it', async () => {
    const thread = await startQuestionnaire('is it worth adding mutual TLS to internal gRPC calls', 'EvUnsure1');
    const choices = blocksOf(thread.latest).find((b) => b.block_id === 'topic_choices');
    expect(choices?.elements?.map((e) => e.value).slice(0, 2)).toEqual(['zero-trust', 'microservices']);
    expect(allText(thread.latest).some((t) => t.includes("I'm not sure which topic this is"))).toBe(true);
    expect(askedQuestion(thread.latest)).toBe(kb.topics.get('zero-trust')!.questions[0]!.id);

    const pick = choices!.elements!.find((e) => e.value === 'microservices')!;
    const update = await click(thread, { type: 'button', action_id: pick.action_id, block_id: 'topic_choices', value: 'microservices', text: pick.text });
    expect(askedQuestion(update)).toBe(microservices.questions[0]!.id);
    expect(stepText(update)).toContain(`Topic: *${microservices.title}* — question 1 of`);
    expect(blocksOf(update).some((b) => b.block_id === 'topic_choices')).toBe(false);
    expect(JSON.parse(conversationRow(thread)!.state_json)).toMatchObject({ topic: 'microservices', answers: {}, history: [] });
  });

  it('a question on technology without a topic of its own starts the general questionnaire and says so', async () => {
    const thread = await startQuestionnaire('should we adopt Kafka for our event bus?', 'EvGeneral1');
    expect(askedQuestion(thread.latest)).toBe(kb.topics.get('general')!.questions[0]!.id);
    expect(allText(thread.latest)).toContain('No specific war stories on Kafka yet; this is the general assessment.');
  });
});

describe('DM greetings and help', () => {
  it("'hello' gets help with topic buttons, and a topic button starts that topic’s questionnaire", async () => {
    const ts = nextTs();
    const mark = checkpoint(h.api);
    await h.event(dmEvent('hello', ts), 'EvHello1');
    const [help] = await mark.wait('chat.postMessage');
    expect(help!.args.channel).toBe(DM);
    expect(help!.args.thread_ts).toBe(ts);
    const topicButtons = actionIds(help!).filter((a) => a.startsWith('start_topic:'));
    expect(topicButtons.sort()).toEqual([...kb.topics.keys()].map((t) => `start_topic:${t}`).sort());
    expect(allText(help!).join('\n')).toContain("I didn't catch an architecture question there.");
    // Nothing was started for a greeting.
    expect(h.query((db) => db.prepare('SELECT COUNT(*) AS n FROM conversations WHERE conversation_key = ?').get(`${DM}:${ts}`) as { n: number }).n).toBe(0);

    const mark2 = checkpoint(h.api);
    await h.interact(
      messageAction({
        channel: DM,
        messageTs: postedTs(help!),
        threadTs: ts,
        action: { type: 'button', action_id: 'start_topic:kubernetes', block_id: 'topics', value: 'kubernetes', text: { type: 'plain_text', text: 'Kubernetes' } },
      }),
    );
    const [first] = await mark2.wait('chat.postMessage');
    expect(first!.args.channel).toBe(DM);
    expect(first!.args.thread_ts).toBe(ts);
    expect(askedQuestion(first!)).toBe(kb.topics.get('kubernetes')!.questions[0]!.id);
    const stored = await eventually(() => {
      const row = h.query((db) => db.prepare('SELECT message_ref FROM conversations WHERE conversation_key = ?').get(`${DM}:${ts}`) as { message_ref: string | null } | undefined);
      return row?.message_ref ? row : undefined;
    });
    expect(stored.message_ref).toBe(postedTs(first!));
  });

  it('a reply inside a questionnaire thread is not taken as a new question', async () => {
    const thread = await startQuestionnaire('should we split the monolith into microservices?', 'EvReply1');
    const mark = checkpoint(h.api);
    await h.event(dmEvent('should we use kubernetes?', nextTs(), { thread_ts: thread.threadTs }), 'EvReply2');
    // Observable later event: a new top-level greeting's reply. A reply to the threaded message would come first.
    const ts = nextTs();
    await h.event(dmEvent('hello', ts), 'EvReply3');
    const posts = await mark.wait('chat.postMessage');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.thread_ts).toBe(ts);
  });
});

describe('retried DM deliveries', () => {
  it('the same event delivered twice posts once and starts one questionnaire', async () => {
    const ts = nextTs();
    const event = dmEvent('should we split the monolith into microservices?', ts);
    const mark = checkpoint(h.api);
    const first = await h.event(event, 'EvRetry1');
    expect(first.status).toBe(200);
    await mark.wait('chat.postMessage');
    const second = await h.event(event, 'EvRetry1', { retryNum: 1 });
    expect(second.status).toBe(200);
    // Observable later event: a different greeting's help post. A second post for the retry would come first.
    const later = nextTs();
    await h.event(dmEvent('hello', later), 'EvRetry2');
    const posts = await mark.wait('chat.postMessage', 2);
    expect(posts).toHaveLength(2);
    expect(posts.map((p) => p.args.thread_ts)).toEqual([ts, later]);
    expect(h.query((db) => db.prepare('SELECT COUNT(*) AS n FROM conversations WHERE conversation_key = ?').get(`${DM}:${ts}`) as { n: number }).n).toBe(1);
    expect(h.query((db) => db.prepare("SELECT COUNT(*) AS n FROM processed_events WHERE event_key = 'event:EvRetry1'").get() as { n: number }).n).toBe(1);
  });
});
