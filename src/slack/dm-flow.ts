// The DM questionnaire's moves, shared by the message listener and the button listeners: show the
// current step with chat.update as it goes, and finish with the verdict in the same message. The calls
// are JSON bodies (slack/post's jsonWebApi), as the modal's verdict is: the client would form-encode the
// blocks and build a WebClient for the workspace first.
import { advance, currentStep, startConversation, type ConversationInput, type ConversationState } from '../consult/conversation.js';
import { renderDmStepBlocks, type DmDetection } from './blocks/dm-step.js';
import { renderVerdictBlocks, verdictFallbackText } from './blocks/verdict.js';
import { consultationIdFromKey } from '../service/consult-service.js';
import { ForbiddenError } from '../errors.js';
import type { SlackDeps } from './deps.js';
import type { WebApiCall } from './post.js';

export interface DmThread {
  workspace: string;
  channel: string;
  threadTs: string;
  userId: string;
  /** The questionnaire message a click came from, when known. */
  messageTs?: string;
}

const keyOf = (t: DmThread): string => `${t.channel}:${t.threadTs}`;

/** A Slack message timestamp ("1700000000.000100", seconds) in milliseconds; undefined if it is not one. */
const slackTsMs = (ts: string): number | undefined => (/^\d{9,11}(\.\d+)?$/.test(ts) ? Math.floor(Number(ts) * 1000) : undefined);

/** Starts a questionnaire in a thread under the user's message and stores its state. */
export async function startDmConsultation(call: WebApiCall, deps: SlackDeps, thread: DmThread, question: string, topic: string, detected?: DmDetection): Promise<void> {
  const state = startConversation(deps.kb, question, topic);
  const step = currentStep(deps.kb, state);
  if (step.kind !== 'question') return;
  const key = keyOf(thread);
  // Stored before posting: a click can arrive before chat.postMessage has returned to us.
  await deps.store.conversations.put(thread.workspace, 'slack', key, { userId: thread.userId, state, messageRef: null }, deps.service.clock.now());
  const posted = await call('chat.postMessage', {
    channel: thread.channel,
    thread_ts: thread.threadTs,
    text: `${step.topicTitle}: ${step.question.text}`,
    blocks: renderDmStepBlocks(deps.kb, step, question, detected),
  });
  // Only the reference, and only if a first click has not already recorded it: writing the whole row
  // back here could undo an answer given (maybe on another replica) while chat.postMessage was returning.
  if (typeof posted.ts === 'string') await deps.store.conversations.setMessageRef(thread.workspace, 'slack', key, posted.ts);
}

/**
 * Applies one click by `thread.userId`; returns false when there is no questionnaire in this thread any
 * more, and throws ForbiddenError when it is someone else's.
 */
export async function continueDmConsultation(call: WebApiCall, deps: SlackDeps, thread: DmThread, input: ConversationInput | { kind: 'cancel' }): Promise<boolean> {
  const key = keyOf(thread);
  const found = await deps.store.conversations.get(thread.workspace, 'slack', key);
  if (found && found.userId !== thread.userId) throw new ForbiddenError('This questionnaire belongs to someone else.');
  const messageRef = found?.messageRef ?? thread.messageTs;
  if (!found || !messageRef) return false;
  const stored = { ...found, messageRef };
  const now = deps.service.clock.now();
  if (input.kind === 'cancel') {
    await deps.store.conversations.delete(thread.workspace, 'slack', key);
    await call('chat.update', { channel: thread.channel, ts: stored.messageRef, text: 'Cancelled — nothing was saved. Write to me again whenever you like.', blocks: [] });
    return true;
  }
  const state: ConversationState = advance(deps.kb, stored.state, input);
  const step = currentStep(deps.kb, state);
  if (step.kind === 'question') {
    await deps.store.conversations.put(thread.workspace, 'slack', key, { ...stored, state }, now);
    await call('chat.update', { channel: thread.channel, ts: stored.messageRef, text: `${step.topicTitle}: ${step.question.text}`, blocks: renderDmStepBlocks(deps.kb, step, state.question) });
    return true;
  }
  const result = await deps.service.consult({
    id: consultationIdFromKey(`slack-dm:${thread.workspace}:${key}`, slackTsMs(thread.threadTs)),
    workspace: thread.workspace,
    platform: 'slack',
    channel: thread.channel,
    userId: stored.userId,
    question: state.question,
    topic: step.topic,
    answers: step.answers,
    checkInDays: deps.checkInDays,
  });
  await deps.store.conversations.delete(thread.workspace, 'slack', key);
  if (result.created) deps.logger.info({ consultationId: result.row.id, topic: step.topic, surface: 'slack-dm', workspace: thread.workspace }, 'consultation saved');
  await call('chat.update', { channel: thread.channel, ts: stored.messageRef, text: verdictFallbackText(result.view), blocks: renderVerdictBlocks(result.view) });
  return true;
}
