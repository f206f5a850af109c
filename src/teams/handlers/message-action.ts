// "Reality-check this", the message action (composeExtensions, context "message"): fetchTask opens the
// questionnaire in a dialog with the message's text as the question; its submits come back as
// submitAction, answered with the card again (errors, topic switch) or the verdict, posted in the conversation.
import type { InvokeResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { consultationIdFromKey, MAX_QUESTION_LENGTH } from '../../service/consult-service.js';
import { renderQuestionnaireCard } from '../cards/questionnaire.js';
import { attachment, type AdaptiveCard } from '../cards/types.js';
import { renderVerdictCard } from '../cards/verdict.js';
import { PLATFORM, turnFacts, type TeamsDeps } from '../deps.js';
import { cardActivity } from '../reply.js';
import { ACTIONS, parseSubmit } from '../submit-data.js';
import { stripAtTags } from '../text.js';
import { checkConsultSubmit, RATE_LIMITED_TEXT } from './consult.js';

export const MESSAGE_ACTION = 'realityCheckMessage';
export const INVOKES = { fetchTask: 'composeExtension/fetchTask', submitAction: 'composeExtension/submitAction' } as const;

const actionSchema = z.looseObject({
  commandId: z.string(),
  messagePayload: z.looseObject({
    id: z.string().optional(),
    linkToMessage: z.string().optional(),
    body: z.looseObject({ contentType: z.string().optional(), content: z.string().optional() }).optional(),
  }).optional(),
  data: z.unknown().optional(),
});

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** The message as one line of plain text: Teams sends HTML bodies; tags go, entities are decoded, mentions become names. */
export function messageQuestion(body: { contentType?: string | undefined; content?: string | undefined } | undefined): string {
  let text = body?.content ?? '';
  if (body?.contentType !== 'text') {
    text = stripAtTags(text.replace(/<br\s*\/?>|<\/p>|<\/div>/gi, ' '))
      .replace(/<[^>]*>/g, '')
      .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? '');
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length <= MAX_QUESTION_LENGTH ? text : `${text.slice(0, MAX_QUESTION_LENGTH - 1)}…`;
}

const ok = (body: unknown): InvokeResponse => ({ status: 200, body });
const dialog = (card: AdaptiveCard): InvokeResponse =>
  ok({ task: { type: 'continue', value: { title: 'Reality check', height: 'large', width: 'large', card: attachment(card) } } });
const message = (text: string): InvokeResponse => ok({ task: { type: 'message', value: text } });

export async function handleFetchTask(ctx: TurnContext, deps: TeamsDeps): Promise<InvokeResponse> {
  const parsed = actionSchema.safeParse(ctx.activity.value);
  if (!parsed.success || parsed.data.commandId !== MESSAGE_ACTION) return { status: 400 };
  const facts = turnFacts(ctx.activity);
  const question = messageQuestion(parsed.data.messagePayload?.body);
  if (!question) return message('That message has no text to check. Ask me in a chat instead, e.g. “should we use Kubernetes?”.');
  if (!(await deps.allowConsultation(facts.workspace, facts.userId))) return message(RATE_LIMITED_TEXT);
  const link = parsed.data.messagePayload?.linkToMessage;
  const detection = deps.service.detect(question, facts.workspace);
  return dialog(renderQuestionnaireCard(deps.kb, {
    question,
    topic: detection.topic ?? 'general',
    at: deps.service.clock.now(),
    ...(detection.topic ? { confidence: detection.confidence } : {}),
    ...(link && /^https:\/\//.test(link) ? { source: link } : {}),
  }));
}

export async function handleSubmitAction(ctx: TurnContext, deps: TeamsDeps): Promise<InvokeResponse> {
  const parsed = actionSchema.safeParse(ctx.activity.value);
  if (!parsed.success || parsed.data.commandId !== MESSAGE_ACTION) return { status: 400 };
  const data = parseSubmit(parsed.data.data);
  if (!data || (data.rc !== ACTIONS.consultSubmit && data.rc !== ACTIONS.consultSwitch)) return message('That form is out of date. Use “Reality-check this” on the message again.');
  const step = checkConsultSubmit(deps, data);
  if (step.kind === 'card') return dialog(step.card);
  const facts = turnFacts(ctx.activity);
  const result = await deps.service.consult({
    // The invoke's own id: a redelivered submit finds the consultation it created.
    id: consultationIdFromKey(`teams-action:${facts.workspace}:${facts.conversationId}:${ctx.activity.id ?? ''}`, data.at),
    workspace: facts.workspace,
    platform: PLATFORM,
    channel: facts.teamsChannel ?? facts.conversationId,
    userId: facts.userId,
    question: data.question,
    topic: step.topic.id,
    answers: step.answers,
    checkInDays: deps.checkInDays,
    ...(data.source ? { sourceUrl: data.source } : {}),
  });
  const verdict = renderVerdictCard(result.view, facts.kind === 'personal' ? {} : { askedBy: facts.userName });
  if (!result.created) return dialog(verdict);
  deps.logger.info({ consultationId: result.row.id, topic: step.topic.id, surface: 'teams-message-action', workspace: facts.workspace }, 'consultation saved');
  try {
    // Where the message is: a channel thread, a group chat or a 1:1 chat with the bot.
    await ctx.sendActivity(cardActivity(verdict));
    return message(`The verdict (${result.row.id}) is posted in the conversation.`);
  } catch (error) {
    // The bot is not a member there: the dialog shows the verdict instead, and it is saved either way.
    deps.logger.warn({ consultationId: result.row.id, err: error instanceof Error ? error.message : String(error) }, 'could not post the verdict where the message is');
    return dialog(verdict);
  }
}
