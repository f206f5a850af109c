// `/reality-check digest #channel monday 09:00 Europe/Berlin`: an admin sets where and when the
// weekly accuracy digest goes; `/reality-check digest` shows the current setting.
import type { RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ForbiddenError } from '../../../errors.js';
import { parseDigestSchedule, WEEKDAYS } from '../../../schedule/digest-time.js';
import { isWorkspaceAdmin, type SlackDeps } from '../../deps.js';
import type { JsonPost } from '../../json-call.js';

/** Slack sends a channel mention as <#C123|name> (or <#C123>) when the command escapes it; else #name. */
function parseChannel(word: string | undefined): string | null {
  const m = /^<#([CG][A-Z0-9]+)(\|[^>]*)?>$/.exec(word ?? '');
  return m ? m[1]! : null;
}

export async function handleDigestCommand(command: SlashCommand, args: string[], client: WebClient, respond: RespondFn, deps: SlackDeps, post?: JsonPost): Promise<void> {
  if (args.length === 0) {
    const s = await deps.store.settings.getDigest(command.team_id);
    await respond({
      response_type: 'ephemeral',
      text: s
        ? `The weekly digest goes to <#${s.channel}> on ${WEEKDAYS[s.weekday - 1]} at ${String(s.hour).padStart(2, '0')}:${String(s.minute).padStart(2, '0')} ${s.timeZone}.`
        : 'No digest channel is set for this workspace. An admin can set one: `/reality-check digest #channel monday 09:00 Europe/Berlin`.',
    });
    return;
  }
  if (!(await isWorkspaceAdmin(client, command.user_id, post))) throw new ForbiddenError('Only a workspace admin can change the weekly digest.');
  const channel = parseChannel(args[0]) ?? (args[0] === 'here' ? command.channel_id : null);
  if (!channel) {
    await respond({ response_type: 'ephemeral', text: `"${args[0]}" is not a channel mention. Use \`/reality-check digest #channel monday 09:00 Europe/Berlin\` (pick the channel from the autocomplete) or \`here\`.` });
    return;
  }
  const schedule = parseDigestSchedule(args.slice(1).length ? args.slice(1) : ['monday', '09:00', 'UTC']);
  if (typeof schedule === 'string') {
    await respond({ response_type: 'ephemeral', text: `${schedule} Example: \`/reality-check digest #channel monday 09:00 Europe/Berlin\`.` });
    return;
  }
  await deps.store.settings.setDigest(command.team_id, { channel, platform: 'slack', ...schedule }, deps.service.clock.now());
  await deps.onDigestSettingsChanged?.(command.team_id);
  await respond({ response_type: 'ephemeral', text: `Done: the weekly digest goes to <#${channel}> on ${WEEKDAYS[schedule.weekday - 1]} at ${args[2] ?? '09:00'} ${schedule.timeZone}.` });
}
