// Saves a new check-in date: it must be a real date after today; the job moves with it.
import { ForbiddenError } from '../../../errors.js';
import { formatDate } from '../../../present/format.js';
import { CHECK_IN_CALLBACK } from '../../blocks/modal.js';
import { isWorkspaceAdmin, type SlackDeps } from '../../deps.js';
import type { JsonPost } from '../../json-call.js';
import type { ListenerRouter } from '../../router.js';

export function register(router: ListenerRouter, deps: SlackDeps, post?: JsonPost): void {
  router.view(CHECK_IN_CALLBACK, async ({ ack, view, body, client }) => {
    const id = view.private_metadata;
    const date = view.state.values.date?.date?.selected_date ?? '';
    const now = deps.service.clock.now();
    const at = Date.parse(`${date}T09:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(at) || formatDate(at) <= formatDate(now)) {
      await ack({ response_action: 'errors', errors: { date: 'Pick a date after today.' } });
      return;
    }
    const workspace = body.team?.id ?? body.user.team_id ?? 'unknown';
    const row = await deps.service.get(workspace, id);
    if (row.userId !== body.user.id && !(await isWorkspaceAdmin(client, body.user.id, post))) {
      await ack({ response_action: 'errors', errors: { date: 'Only the person who asked (or a workspace admin) can change this check-in.' } });
      throw new ForbiddenError(`Only the asker or an admin can change the check-in of ${id}.`);
    }
    await ack();
    await deps.store.consultations.setCheckIn(workspace, id, at);
    await client.chat.postMessage({ channel: body.user.id, text: `Check-in for \`${id}\` moved to ${date}.` });
  });
}
