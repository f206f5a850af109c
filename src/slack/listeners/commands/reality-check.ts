// /reality-check: help, list, history, or a question → ack at once and open the consultation modal
// (trigger ids expire after 3 s, so nothing slow happens before views.open).
import type { App } from '@slack/bolt';
import { buildDetectionView } from '../../../present/detection.js';
import { formatDate } from '../../../present/format.js';
import { MAX_QUESTION_LENGTH } from '../../../service/consult-service.js';
import { renderHelpBlocks } from '../../blocks/help.js';
import { renderConsultModalJson } from '../../blocks/modal.js';
import { handleDigestCommand } from './digest.js';
import { handleHistoryCommand } from './history.js';
import { handleResolveCommand } from './resolve.js';
import type { SlackDeps } from '../../deps.js';
import { escapeText, limit } from '../../escape.js';
import { undiciPost } from '../../../undici-fetch.js';
import { callJson, clientCallOptions, SlackCallError, type JsonPost } from '../../json-call.js';

export const COMMAND = '/reality-check';

/** `post` sends the JSON-bodied views.open (the server wraps it with the Web API metrics). */
export function register(app: App, deps: SlackDeps, post: JsonPost = undiciPost): void {
  app.command(COMMAND, async ({ command, ack, client, respond }) => {
    const text = (command.text ?? '').trim();
    const [first = '', ...rest] = text.split(/\s+/);
    const sub = first.toLowerCase();
    const inDm = command.channel_name === 'directmessage' || command.channel_id.startsWith('D');

    if (sub === '' || sub === 'help') {
      await ack({ response_type: 'ephemeral', text: 'How to use reality-check', blocks: renderHelpBlocks(deps.kb, { inDm }) });
      return;
    }
    if (sub === 'list') {
      await ack();
      const mine = await deps.store.consultations.listForUser(command.team_id, command.user_id, 10);
      const lines = mine.map((c) => `• \`${c.id}\` ${formatDate(c.createdAt)} *${c.verdict}* (${c.topic}) — ${escapeText(limit(c.question, 120))} · check-in ${formatDate(c.checkInAt)}`);
      await respond({ response_type: 'ephemeral', text: lines.length ? `Your recent consultations:\n${lines.join('\n')}` : 'You have no consultations yet. Try `/reality-check should we use Kubernetes?`' });
      return;
    }

    if (sub === 'history') {
      await ack();
      await handleHistoryCommand(command, rest, respond, deps);
      return;
    }
    if (sub === 'resolve' || sub === 'digest') {
      await ack();
      const handler = sub === 'resolve' ? handleResolveCommand : handleDigestCommand;
      await handler(command, rest, client, respond, deps, post);
      return;
    }
    if (text.length > MAX_QUESTION_LENGTH) {
      await ack({ response_type: 'ephemeral', text: `That question is ${text.length} characters long; the limit is ${MAX_QUESTION_LENGTH}. Shorten it and ask again — nothing was saved.` });
      return;
    }
    if (!(await deps.allowConsultation(command.team_id, command.user_id))) {
      await ack({ response_type: 'ephemeral', text: 'You have started a lot of consultations in the last hour — take a breath and try again a little later. Your earlier ones are safe: `/reality-check list`.' });
      return;
    }
    await ack();
    const detected = buildDetectionView(deps.kb, deps.service.detect(text, command.team_id));
    const view = renderConsultModalJson(deps.kb, { channel: command.channel_id, question: text, topic: detected.topic, dm: inDm, at: deps.service.clock.now() }, detected);
    // The view is pre-serialised JSON and goes out as it is, inside a JSON body (see json-call.ts).
    const call = clientCallOptions(client, post);
    try {
      await callJson(call, 'views.open', `{"trigger_id":${JSON.stringify(command.trigger_id ?? '')},"view":${view}}`);
    } catch (error) {
      if (!(error instanceof SlackCallError)) throw error;
      deps.logger.warn({ err: error.message }, 'could not open the consultation modal');
      await respond({ response_type: 'ephemeral', text: `Slack would not open the questionnaire (${error.slackError}). Nothing was saved — run \`/reality-check ${escapeText(limit(text, 200))}\` again.` });
    }
  });
}
