// The topic select in the modal (dispatch_action): swap the questions for the new topic's.
import type { BlockStaticSelectAction } from '@slack/bolt';
import { renderConsultModal, TOPIC_ACTION, modalMetadataSchema } from '../../blocks/modal.js';
import type { SlackDeps } from '../../deps.js';
import type { ListenerRouter } from '../../router.js';

export function register(router: ListenerRouter, deps: SlackDeps): void {
  router.action<BlockStaticSelectAction>(TOPIC_ACTION, async ({ ack, action, body, client }) => {
    await ack();
    if (!body.view) return;
    const meta = modalMetadataSchema.parse(JSON.parse(body.view.private_metadata));
    const topic = action.selected_option.value;
    if (!deps.kb.topics.has(topic)) return;
    await client.views.update({
      view_id: body.view.id,
      hash: body.view.hash,
      view: renderConsultModal(deps.kb, { ...meta, topic }, null),
    });
  });
}
