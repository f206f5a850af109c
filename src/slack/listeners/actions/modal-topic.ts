// The topic select in the modal (dispatch_action), and the one-click topic choices shown when detection
// was unsure: swap the questions for the new topic's.
import type { BlockAction, BlockButtonAction, BlockStaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { renderConsultModal, TOPIC_ACTION, TOPIC_PICK_ACTION, modalMetadataSchema } from '../../blocks/modal.js';
import type { SlackDeps } from '../../deps.js';
import type { ListenerRouter } from '../../router.js';

export function register(router: ListenerRouter, deps: SlackDeps): void {
  const swap = async (body: BlockAction, topic: string, client: WebClient): Promise<void> => {
    if (!body.view || !deps.kb.topics.has(topic)) return;
    const meta = modalMetadataSchema.parse(JSON.parse(body.view.private_metadata));
    await client.views.update({
      view_id: body.view.id,
      hash: body.view.hash,
      view: renderConsultModal(deps.kb, { ...meta, topic }, null),
    });
  };
  router.action<BlockStaticSelectAction>(TOPIC_ACTION, async ({ ack, action, body, client }) => {
    await ack();
    await swap(body, action.selected_option.value, client);
  });
  router.action<BlockButtonAction>(new RegExp(`^${TOPIC_PICK_ACTION}:`), async ({ ack, action, body, client }) => {
    await ack();
    await swap(body, action.value ?? '', client);
  });
}
