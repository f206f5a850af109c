// A topic button from the help message: in a DM it starts the questionnaire in a thread, in a
// channel it opens the consultation modal for that topic.
import type { BlockButtonAction } from '@slack/bolt';
import { TOPIC_BUTTON_ACTION } from '../../blocks/help.js';
import { renderConsultModal } from '../../blocks/modal.js';
import type { SlackDeps } from '../../deps.js';
import { startDmConsultation } from '../../dm-flow.js';
import type { JsonPost } from '../../json-call.js';
import { jsonWebApi } from '../../post.js';
import type { ListenerRouter } from '../../router.js';

export function register(router: ListenerRouter, deps: SlackDeps, post?: JsonPost): void {
  router.action<BlockButtonAction>(new RegExp(`^${TOPIC_BUTTON_ACTION}:`), async ({ ack, action, body, client }) => {
    await ack();
    const topic = deps.kb.topics.get(action.value ?? '');
    if (!topic) return;
    const workspace = body.team?.id ?? body.user.team_id ?? 'unknown';
    const channel = body.container?.channel_id ?? body.channel?.id;
    const question = `Should we adopt ${topic.title.toLowerCase()}?`;
    if (channel?.startsWith('D') && body.message) {
      if (!await deps.store.events.markProcessed(workspace, `action:${body.container?.message_ts ?? ''}:${action.action_ts}:${body.user.id}`, deps.service.clock.now())) return;
      const threadTs = String(body.message.thread_ts ?? body.message.ts);
      await startDmConsultation(jsonWebApi(client, post), deps, { workspace, channel, threadTs, userId: body.user.id }, question, topic.id);
      return;
    }
    await client.views.open({
      trigger_id: body.trigger_id,
      view: renderConsultModal(deps.kb, { channel: channel ?? null, question, topic: topic.id, dm: !channel || channel.startsWith('D'), at: deps.service.clock.now() }, null),
    });
  });
}
