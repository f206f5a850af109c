// `/reality-check history [words]`: the workspace's past decisions, ranked by the words (questions and
// stories that are not private), or the newest; only the person who asked sees the answer.
import type { RespondFn, SlashCommand } from '@slack/bolt';
import { buildDecisionView } from '../../../present/decision-log.js';
import { renderDecisionBlocks } from '../../blocks/decision-log.js';
import type { SlackDeps } from '../../deps.js';

export const HISTORY_RESULTS = 10;

export async function handleHistoryCommand(command: SlashCommand, args: string[], respond: RespondFn, deps: SlackDeps): Promise<void> {
  const words = args.join(' ').trim();
  const found = await deps.service.findDecisions(command.team_id, { words, limit: HISTORY_RESULTS });
  const views = found.map((d) => buildDecisionView(d, deps.kb));
  await respond({ response_type: 'ephemeral', text: `${views.length} past decision${views.length === 1 ? '' : 's'} in this workspace`, blocks: renderDecisionBlocks(views, words) });
}
