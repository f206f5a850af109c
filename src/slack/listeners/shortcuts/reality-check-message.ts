// "Reality-check this", a message shortcut: ask where the decision is made. Opens the consultation modal
// with the message's text as the question, and carries the message's link and thread so the verdict
// links back to it and, "in a thread", answers there. Ack first: the trigger id lives 3 s.
import type { App, MessageShortcut } from '@slack/bolt';
import { buildDetectionView } from '../../../present/detection.js';
import { MAX_QUESTION_LENGTH } from '../../../service/consult-service.js';
import { renderConsultModalJson } from '../../blocks/modal.js';
import type { SlackDeps } from '../../deps.js';
import { undiciPost } from '../../../undici-fetch.js';
import { callJson, clientCallOptions, SlackCallError, type JsonPost } from '../../json-call.js';
import { messageLink } from '../../permalink.js';

export const SHORTCUT = 'reality_check_message';

/** The message's text as a question: trimmed, and cut (not refused) at the question limit. */
export function questionFromMessage(text: string | undefined): string {
  const trimmed = (text ?? '').trim();
  return trimmed.length <= MAX_QUESTION_LENGTH ? trimmed : `${trimmed.slice(0, MAX_QUESTION_LENGTH - 1)}…`;
}

export function register(app: App, deps: SlackDeps, post: JsonPost = undiciPost): void {
  app.shortcut<MessageShortcut>({ callback_id: SHORTCUT, type: 'message_action' }, async ({ shortcut, ack, client, respond }) => {
    await ack();
    const workspace = shortcut.team?.id ?? shortcut.user.team_id ?? 'unknown';
    const question = questionFromMessage(shortcut.message.text);
    if (!question) {
      await respond({ response_type: 'ephemeral', text: 'That message has no text to check. Use `/reality-check <question>` instead.' });
      return;
    }
    if (!(await deps.allowConsultation(workspace, shortcut.user.id))) {
      await respond({ response_type: 'ephemeral', text: 'You have started a lot of consultations in the last hour — take a breath and try again a little later. Your earlier ones are safe: `/reality-check list`.' });
      return;
    }
    const channel = shortcut.channel.id;
    const threadTs = typeof shortcut.message.thread_ts === 'string' ? shortcut.message.thread_ts : shortcut.message.ts;
    const url = messageLink({ domain: shortcut.team?.domain, channel, ts: shortcut.message.ts, threadTs });
    // As the slash command shows it: the topic read, the general-assessment line, or the topics to pick from.
    const detected = buildDetectionView(deps.kb, deps.service.detect(question, workspace));
    const view = renderConsultModalJson(deps.kb, { channel, question, topic: detected.topic, dm: channel.startsWith('D'), source: { url, threadTs }, at: deps.service.clock.now() }, detected);
    const call = clientCallOptions(client, post);
    try {
      await callJson(call, 'views.open', `{"trigger_id":${JSON.stringify(shortcut.trigger_id)},"view":${view}}`);
    } catch (error) {
      if (!(error instanceof SlackCallError)) throw error;
      deps.logger.warn({ err: error.message }, 'could not open the consultation modal from a message shortcut');
      await respond({ response_type: 'ephemeral', text: `Slack would not open the questionnaire (${error.slackError}). Nothing was saved — try the shortcut again.` });
    }
  });
}
