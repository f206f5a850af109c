// `/reality-check resolve <id>`: sends the check-in for a consultation now (asker or admin only).
import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ForbiddenError } from '../../../errors.js';
import { buildCheckInView } from '../../../present/check-in.js';
import { renderCheckInBlocks } from '../../blocks/check-in.js';
import { isWorkspaceAdmin, type SlackDeps } from '../../deps.js';
import type { JsonPost } from '../../json-call.js';

export async function handleResolveCommand(command: SlashCommand, args: string[], client: WebClient, respond: RespondFn, deps: SlackDeps, post?: JsonPost): Promise<void> {
  const id = args[0];
  if (!id) {
    await respond({ response_type: 'ephemeral', text: 'Which consultation? Use `/reality-check resolve <id>`; `/reality-check list` shows your ids.' });
    return;
  }
  const row = await deps.store.consultations.get(command.team_id, id);
  if (!row) {
    await respond({ response_type: 'ephemeral', text: `No consultation \`${id}\` in this workspace. \`/reality-check list\` shows yours.` });
    return;
  }
  if (row.userId !== command.user_id && !(await isWorkspaceAdmin(client, command.user_id, post))) {
    throw new ForbiddenError(`Only the person who asked (or a workspace admin) can record outcomes for ${id}.`);
  }
  const view = buildCheckInView(row, await deps.store.consultations.predictions(command.team_id, id), false);
  await client.chat.postMessage({ channel: command.user_id, text: `Check-in for ${id}`, blocks: renderCheckInBlocks(view) });
  await respond({ response_type: 'ephemeral', text: `I have sent you the check-in for \`${id}\` in a DM.` });
}
