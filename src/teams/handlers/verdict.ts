// The verdict card's buttons: Explain (the full reasoning card) and Export ADR. Teams bots cannot
// attach a file in a channel without the file-consent flow, so the MADR markdown comes as a message.
import type { TurnContext } from 'botbuilder';
import { renderAdr } from '../../present/adr.js';
import { formatDate } from '../../present/format.js';
import { renderExplainCard } from '../cards/verdict.js';
import { turnFacts, type TeamsDeps } from '../deps.js';
import { replyCard, replyText } from '../reply.js';

export async function handleExplain(ctx: TurnContext, deps: TeamsDeps, id: string): Promise<void> {
  const row = await deps.service.get(turnFacts(ctx.activity).workspace, id);
  await replyCard(ctx, renderExplainCard(deps.service.render(row).view));
}

export async function handleExportAdr(ctx: TurnContext, deps: TeamsDeps, id: string): Promise<void> {
  const row = await deps.service.get(turnFacts(ctx.activity).workspace, id);
  const { view } = deps.service.render(row);
  const adr = renderAdr(view, { date: formatDate(row.createdAt), askedBy: row.userId });
  await replyText(ctx, `Architecture decision record for ${row.id} (MADR 4). Copy it into your repository, e.g. docs/decisions/NNNN-${row.topic}.md:\n\n${adr}`);
}
