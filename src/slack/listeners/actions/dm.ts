// Buttons and selects of the DM questionnaire: answer, back, cancel, change or pick a topic. Each click is
// handled once (Socket Mode may redeliver) and only for the person whose questionnaire it is.
import type { BlockAction, BlockButtonAction, BlockStaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { QUESTIONNAIRE_KEPT_DAYS, type ConversationInput } from '../../../consult/conversation.js';
import { DM_ACTIONS } from '../../blocks/dm-step.js';
import type { SlackDeps } from '../../deps.js';
import { continueDmConsultation, type DmThread } from '../../dm-flow.js';
import type { JsonPost } from '../../json-call.js';
import { jsonWebApi } from '../../post.js';
import type { ListenerRouter } from '../../router.js';

const OVER = `That questionnaire is over: it was finished, cancelled, or left unanswered for ${QUESTIONNAIRE_KEPT_DAYS} days. Write me a new question to start again.`;

const answerValue = z.object({ q: z.string(), c: z.string() });

function threadOf(body: BlockAction): DmThread | null {
  const channel = body.container?.channel_id ?? body.channel?.id;
  const threadTs = body.message?.thread_ts ?? body.message?.ts;
  const workspace = body.team?.id ?? body.user.team_id;
  if (!channel || !threadTs || !workspace) return null;
  const messageTs = body.container?.message_ts ?? body.message?.ts;
  return { workspace, channel, threadTs: String(threadTs), userId: body.user.id, ...(messageTs ? { messageTs: String(messageTs) } : {}) };
}

/** `post` sends the questionnaire's and the verdict's JSON bodies (undici unless the metrics wrap it). */
export function register(router: ListenerRouter, deps: SlackDeps, post?: JsonPost): void {
  const handle = async (body: BlockAction, actionTs: string, input: ConversationInput | { kind: 'cancel' }, client: WebClient) => {
    const thread = threadOf(body);
    if (!thread) return;
    if (!await deps.store.events.markProcessed(thread.workspace, `action:${body.container?.message_ts ?? ''}:${actionTs}:${body.user.id}`, deps.service.clock.now())) return;
    const call = jsonWebApi(client, post);
    if (!await continueDmConsultation(call, deps, thread, input)) {
      await call('chat.postMessage', { channel: thread.channel, thread_ts: thread.threadTs, text: OVER });
    }
  };

  router.action<BlockButtonAction>(new RegExp(`^${DM_ACTIONS.answer}:`), async ({ ack, action, body, client }) => {
    await ack();
    const { q, c } = answerValue.parse(JSON.parse(action.value ?? '{}'));
    await handle(body, action.action_ts, { kind: 'answer', questionId: q, choice: c }, client);
  });
  router.action<BlockStaticSelectAction>(DM_ACTIONS.select, async ({ ack, action, body, client }) => {
    await ack();
    const { q, c } = answerValue.parse(JSON.parse(action.selected_option.value));
    await handle(body, action.action_ts, { kind: 'answer', questionId: q, choice: c }, client);
  });
  router.action<BlockButtonAction>(DM_ACTIONS.back, async ({ ack, action, body, client }) => {
    await ack();
    await handle(body, action.action_ts, { kind: 'back' }, client);
  });
  router.action<BlockButtonAction>(DM_ACTIONS.cancel, async ({ ack, action, body, client }) => {
    await ack();
    await handle(body, action.action_ts, { kind: 'cancel' }, client);
  });
  router.action<BlockStaticSelectAction>(DM_ACTIONS.topic, async ({ ack, action, body, client }) => {
    await ack();
    if (!deps.kb.topics.has(action.selected_option.value)) return;
    await handle(body, action.action_ts, { kind: 'topic', topic: action.selected_option.value }, client);
  });
  router.action<BlockButtonAction>(new RegExp(`^${DM_ACTIONS.pick}:`), async ({ ack, action, body, client }) => {
    await ack();
    if (!deps.kb.topics.has(action.value ?? '')) return;
    await handle(body, action.action_ts, { kind: 'topic', topic: action.value! }, client);
  });
}
