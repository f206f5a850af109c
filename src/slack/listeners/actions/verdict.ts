// The verdict's buttons: Explain (full reasoning in the thread), Export ADR (a MADR file uploaded
// with files.uploadV2) and Change check-in date (a date picker; the asker or an admin only).
import type { BlockButtonAction } from '@slack/bolt';
import { ForbiddenError } from '../../../errors.js';
import { renderAdr } from '../../../present/adr.js';
import { formatDate } from '../../../present/format.js';
import { renderCheckInModal } from '../../blocks/modal.js';
import { renderExplainBlocks, VERDICT_ACTIONS } from '../../blocks/verdict.js';
import { isWorkspaceAdmin, type SlackDeps } from '../../deps.js';
import type { JsonPost } from '../../json-call.js';
import type { ListenerRouter } from '../../router.js';

function where(body: BlockButtonAction): { workspace: string; channel?: string; ts?: string } {
  const channel = body.container?.channel_id ?? body.channel?.id;
  const ts = body.message?.thread_ts ?? body.message?.ts;
  return { workspace: body.team?.id ?? body.user.team_id ?? 'unknown', ...(channel ? { channel } : {}), ...(ts ? { ts: String(ts) } : {}) };
}

export function register(router: ListenerRouter, deps: SlackDeps, post?: JsonPost): void {
  router.action<BlockButtonAction>(VERDICT_ACTIONS.explain, async ({ ack, action, body, client }) => {
    await ack();
    const at = where(body);
    const row = await deps.service.get(at.workspace, action.value ?? '');
    const { view } = deps.service.render(row);
    await client.chat.postMessage({ channel: at.channel ?? body.user.id, ...(at.ts ? { thread_ts: at.ts } : {}), text: `Why: ${view.verdictLabel} — ${view.title}`, blocks: renderExplainBlocks(view) });
  });

  router.action<BlockButtonAction>(VERDICT_ACTIONS.exportAdr, async ({ ack, action, body, client }) => {
    await ack();
    const at = where(body);
    const row = await deps.service.get(at.workspace, action.value ?? '');
    const { view } = deps.service.render(row);
    const file = {
      filename: `adr-${row.id}.md`,
      title: `ADR: ${view.title} (${row.id})`,
      content: renderAdr(view, { date: formatDate(row.createdAt), askedBy: row.userId }),
      initial_comment: `Architecture decision record for \`${row.id}\` (MADR 4).`,
    };
    const channelId = at.channel ?? body.user.id;
    await (at.ts ? client.filesUploadV2({ ...file, channel_id: channelId, thread_ts: at.ts }) : client.filesUploadV2({ ...file, channel_id: channelId }));
  });

  router.action<BlockButtonAction>(VERDICT_ACTIONS.changeCheckIn, async ({ ack, action, body, client }) => {
    await ack();
    const at = where(body);
    const row = await deps.service.get(at.workspace, action.value ?? '');
    if (row.userId !== body.user.id && !(await isWorkspaceAdmin(client, body.user.id, post))) {
      throw new ForbiddenError(`Only the person who asked (or a workspace admin) can change the check-in of ${row.id}.`);
    }
    await client.views.open({ trigger_id: body.trigger_id, view: renderCheckInModal(row.id, formatDate(row.checkInAt)) });
  });
}
