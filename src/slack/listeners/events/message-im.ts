// A message in the bot's DM: an architecture question starts the step-by-step questionnaire in a
// thread; anything else gets help with topic buttons. Retried deliveries are dropped by event_id.
import type { App } from '@slack/bolt';
import { buildDetectionView } from '../../../present/detection.js';
import { MAX_QUESTION_LENGTH } from '../../../service/consult-service.js';
import { renderHelpBlocks } from '../../blocks/help.js';
import type { SlackDeps } from '../../deps.js';
import { startDmConsultation } from '../../dm-flow.js';
import type { JsonPost } from '../../json-call.js';
import { jsonWebApi } from '../../post.js';

export function register(app: App, deps: SlackDeps, post?: JsonPost): void {
  app.event('message', async ({ event, body, client }) => {
    if (event.channel_type !== 'im' || event.subtype !== undefined || 'bot_id' in event && event.bot_id) return;
    if ('thread_ts' in event && event.thread_ts) return; // replies inside a questionnaire thread are not new questions
    const workspace = body.team_id;
    if (!await deps.store.events.markProcessed(workspace, `event:${body.event_id}`, deps.service.clock.now())) return;
    const text = (event.text ?? '').trim();
    const user = event.user;
    if (text.length > MAX_QUESTION_LENGTH) {
      await client.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: `That message is ${text.length} characters long; questions are limited to ${MAX_QUESTION_LENGTH}. Shorten it and send it again.` });
      return;
    }
    const detection = deps.service.detect(text, workspace);
    if (!detection.topic) {
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts: event.ts,
        text: 'Ask me about an architecture decision, for example “should we use Kubernetes?”',
        blocks: renderHelpBlocks(deps.kb, { inDm: true, intro: "Hi! I didn't catch an architecture question there." }),
      });
      return;
    }
    if (!(await deps.allowConsultation(workspace, user))) {
      await client.chat.postMessage({ channel: event.channel, thread_ts: event.ts, text: 'You have started a lot of consultations in the last hour — try again a little later.' });
      return;
    }
    await startDmConsultation(jsonWebApi(client, post), deps, { workspace, channel: event.channel, threadTs: event.ts, userId: user }, text, detection.topic, buildDetectionView(deps.kb, detection));
  });
}
