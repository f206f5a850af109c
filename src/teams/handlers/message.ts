// A text message (a personal chat, or an @mention in a channel with the mention stripped): help, list,
// history [words], resolve <id>, digest …, or an architecture question that starts the questionnaire card.
import { TurnContext } from 'botbuilder';
import { buildCheckInView } from '../../present/check-in.js';
import { buildDecisionView } from '../../present/decision-log.js';
import { buildDetectionView } from '../../present/detection.js';
import { formatDate } from '../../present/format.js';
import { MAX_QUESTION_LENGTH } from '../../service/consult-service.js';
import { renderCheckInCard } from '../cards/check-in.js';
import { renderDecisionCard } from '../cards/decision-log.js';
import { renderHelpCard } from '../cards/help.js';
import { turnFacts, type TeamsDeps } from '../deps.js';
import { replyCard, replyText } from '../reply.js';
import { limit, stripAtTags } from '../text.js';
import { startConsultation } from './consult.js';
import { handleDigestCommand } from './digest.js';

/** The words the bot answers as commands; appPackage/manifest.json lists exactly these. */
export const COMMANDS = ['help', 'list', 'history', 'resolve', 'digest'] as const;
const HISTORY_RESULTS = 10;
const GREETINGS = new Set(['hi', 'hello', 'hey', 'hallo', 'yo', 'start', '?']);

/** The text with the bot's own mention removed (channels deliver "<at>reality-check</at> question"). */
export function messageText(ctx: TurnContext): string {
  const withoutBot = ctx.activity.recipient?.id ? TurnContext.removeRecipientMention(ctx.activity) : ctx.activity.text;
  return stripAtTags(withoutBot ?? ctx.activity.text ?? '');
}

export async function handleText(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  const facts = turnFacts(ctx.activity);
  const text = messageText(ctx);
  const [first = '', ...rest] = text.split(/\s+/);
  const word = first.toLowerCase().replace(/[!.?]+$/, '');
  const inChannel = facts.kind !== 'personal';

  if (text === '' || (word === 'help' && rest.length === 0) || (GREETINGS.has(word) && rest.length <= 2)) {
    await replyCard(ctx, renderHelpCard(deps.kb, { inChannel, intro: word === 'help' ? 'How to use reality-check' : 'Hi! I am reality-check.' }));
    return;
  }
  if (word === 'list' && rest.length === 0) {
    const mine = await deps.store.consultations.listForUser(facts.workspace, facts.userId, 10);
    const lines = mine.map((c) => `• ${c.id}  ${formatDate(c.createdAt)}  ${c.verdict} (${c.topic}) — ${limit(c.question.replace(/\s+/g, ' '), 120)} · check-in ${formatDate(c.checkInAt)}`);
    await replyText(ctx, lines.length ? `Your recent consultations:\n${lines.join('\n')}` : 'You have no consultations yet. Ask me something like "should we use Kubernetes?"');
    return;
  }
  if (word === 'history' && text.length <= 300) {
    const words = rest.join(' ');
    const found = await deps.service.findDecisions(facts.workspace, { words, limit: HISTORY_RESULTS });
    await replyCard(ctx, renderDecisionCard(found.map((d) => buildDecisionView(d, deps.kb)), words));
    return;
  }
  if (word === 'resolve' && rest.length === 1) {
    const row = await deps.service.get(facts.workspace, rest[0]!.toLowerCase());
    await replyCard(ctx, renderCheckInCard(buildCheckInView(row, await deps.store.consultations.predictions(facts.workspace, row.id), false), { viewer: facts.userId }));
    return;
  }
  if (word === 'digest' && rest.length <= 4) {
    await handleDigestCommand(ctx, deps, rest);
    return;
  }
  if (text.length > MAX_QUESTION_LENGTH) {
    await replyText(ctx, `That message is ${text.length} characters long; questions are limited to ${MAX_QUESTION_LENGTH}. Shorten it and send it again.`);
    return;
  }
  const detection = deps.service.detect(text, facts.workspace);
  if (!detection.topic) {
    await replyCard(ctx, renderHelpCard(deps.kb, { inChannel, intro: "Hi! I didn't catch an architecture question there." }));
    return;
  }
  await startConsultation(ctx, deps, text, detection.topic, detection.confidence, buildDetectionView(deps.kb, detection));
}
