// A consultation by card: the questionnaire for a detected (or picked) topic, a submit validated per
// question with the messages put back on the card, and then the verdict card with Explain / Export ADR.
import type { TurnContext } from 'botbuilder';
import { checkAnswers } from '../../consult/questionnaire.js';
import { consultationIdFromKey } from '../../service/consult-service.js';
import { renderAnsweredCard, renderQuestionnaireCard, type QuestionnaireInput } from '../cards/questionnaire.js';
import type { AdaptiveCard } from '../cards/types.js';
import { renderVerdictCard } from '../cards/verdict.js';
import type { Topic } from '../../knowledge/schema.js';
import { PLATFORM, turnFacts, type TeamsDeps } from '../deps.js';
import { replyCard, replyText, updateCard } from '../reply.js';
import { ACTIONS, prefixedInputs, type SubmitData } from '../submit-data.js';

export type ConsultSubmit = Extract<SubmitData, { rc: typeof ACTIONS.consultSubmit | typeof ACTIONS.consultSwitch }>;

export const RATE_LIMITED_TEXT = 'You have started a lot of consultations in the last hour — try again a little later. Your earlier ones are safe: write "list".';

/** Sends the questionnaire card for a question; refuses politely when the user is over the hourly limit. */
export async function startConsultation(ctx: TurnContext, deps: TeamsDeps, question: string, topic: string, confidence?: number, detected?: QuestionnaireInput['detected']): Promise<void> {
  const facts = turnFacts(ctx.activity);
  if (!(await deps.allowConsultation(facts.workspace, facts.userId))) {
    await replyText(ctx, RATE_LIMITED_TEXT);
    return;
  }
  await replyCard(ctx, renderQuestionnaireCard(deps.kb, { question, topic, at: deps.service.clock.now(), ...(confidence !== undefined ? { confidence } : {}), ...(detected ? { detected } : {}) }));
}

/** What a questionnaire submit leads to: the card again (switched topic, errors), or a consultation. */
export type ConsultStep = { kind: 'card'; card: AdaptiveCard } | { kind: 'ready'; topic: Topic; answers: Record<string, string> };

/** Decides a questionnaire submit without sending anything: shared by chat cards and the message action's dialog. */
export function checkConsultSubmit(deps: TeamsDeps, data: ConsultSubmit): ConsultStep {
  // What every re-rendered card carries on: the source message's link and when the questionnaire began.
  const carried = { ...(data.source ? { source: data.source } : {}), ...(data.at ? { at: data.at } : {}) };
  // A one-click topic choice (`pick`) wins over the card's own topic input.
  const choice = [data.pick, data.topic].find((t) => t !== undefined && deps.kb.topics.has(t));
  const picked = choice ?? data.cardTopic;
  const topic = deps.kb.topics.get(picked);
  if (!topic) return { kind: 'card', card: renderQuestionnaireCard(deps.kb, { question: data.question, topic: 'general', errors: { topic: 'Pick a topic from the list.' }, ...carried }) };
  const raw = prefixedInputs(data, 'q:');
  if (data.rc === ACTIONS.consultSwitch || picked !== data.cardTopic) {
    const kept = picked === data.cardTopic ? raw : {};
    return { kind: 'card', card: renderQuestionnaireCard(deps.kb, { question: data.question, topic: topic.id, answers: kept, notice: `Questions for ${topic.title}. Answer them and press “Get verdict”.`, ...carried }) };
  }
  const checked = checkAnswers(topic, raw);
  if ('errors' in checked) return { kind: 'card', card: renderQuestionnaireCard(deps.kb, { question: data.question, topic: topic.id, answers: raw, errors: checked.errors, ...carried }) };
  return { kind: 'ready', topic, answers: checked.answers };
}

export async function handleConsultSubmit(ctx: TurnContext, deps: TeamsDeps, data: ConsultSubmit): Promise<void> {
  const step = checkConsultSubmit(deps, data);
  if (step.kind === 'card') {
    await updateCard(ctx, step.card);
    return;
  }
  const { topic } = step;
  const facts = turnFacts(ctx.activity);
  // One consultation per questionnaire card: a double click or a redelivery finds the stored one.
  const cardId = ctx.activity.replyToId ?? ctx.activity.id ?? '';
  const result = await deps.service.consult({
    id: consultationIdFromKey(`teams-card:${facts.workspace}:${facts.conversationId}:${cardId}`, data.at),
    workspace: facts.workspace,
    platform: PLATFORM,
    channel: facts.teamsChannel ?? facts.conversationId,
    userId: facts.userId,
    question: data.question,
    topic: topic.id,
    answers: step.answers,
    checkInDays: deps.checkInDays,
    ...(data.source ? { sourceUrl: data.source } : {}),
  });
  if (!result.created) {
    await replyText(ctx, `This questionnaire was already answered: see ${result.row.id} above.`);
    return;
  }
  deps.logger.info({ consultationId: result.row.id, topic: topic.id, surface: `teams-${facts.kind}`, workspace: facts.workspace }, 'consultation saved');
  await updateCard(ctx, renderAnsweredCard(data.question, topic.title, result.row.id));
  await replyCard(ctx, renderVerdictCard(result.view, facts.kind === 'personal' ? {} : { askedBy: facts.userName }));
}
