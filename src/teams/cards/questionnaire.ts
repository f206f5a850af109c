// The questionnaire card: the question, a topic picker, one Input.ChoiceSet per question (conditional
// ones say when they apply), and the validation messages next to the questions that failed.
import type { KnowledgeBase } from '../../knowledge/load.js';
import type { DetectionView } from '../../present/detection.js';
import { ACTIONS, INPUTS, questionInputId } from '../submit-data.js';
import { escapeMarkdown, limit } from '../text.js';
import { card, fitCard, text, type AdaptiveCard, type CardElement } from './types.js';
import { describeCondition } from '../../present/questionnaire.js';

export interface QuestionnaireInput {
  question: string;
  topic: string;
  /** The detection's confidence, when the topic came from the question text. */
  confidence?: number;
  /** The general-assessment line, and the topics to pick from with one click when detection was unsure. */
  detected?: Pick<DetectionView, 'note' | 'prompt' | 'choices'>;
  /** Values to keep on the card when it is shown again (after a failed submit). */
  answers?: Readonly<Record<string, string>>;
  /** Question id (or "topic") → what is wrong with it. */
  errors?: Readonly<Record<string, string>>;
  notice?: string;
  /** The message the question was taken from (a message action): carried to the verdict as its link. */
  source?: string;
  /** When the questionnaire began (ms): sent back with every submit, for the consultation's id. */
  at?: number;
}


const errorLine = (message: string): CardElement => text(`⚠ ${escapeMarkdown(limit(message, 300))}`, { color: 'Attention', size: 'Small', spacing: 'None' });

export function renderQuestionnaireCard(kb: KnowledgeBase, input: QuestionnaireInput): AdaptiveCard {
  const topic = kb.topics.get(input.topic);
  if (!topic) throw new Error(`unknown topic ${input.topic}`);
  const errors = input.errors ?? {};
  const answers = input.answers ?? {};
  const detected = input.confidence !== undefined
    ? `I read this as **${topic.title}** (confidence ${Math.round(input.confidence * 100)}%). Not right? Pick another topic and press “Switch topic”.`
    : `Topic: **${topic.title}**. Pick another and press “Switch topic” if it fits better.`;
  const body: CardElement[] = [
    text('Reality check', { weight: 'Bolder', size: 'Medium' }),
    text(`> ${escapeMarkdown(limit(input.question.replace(/\s+/g, ' '), 500))}`, { isSubtle: true }),
    text(detected),
    {
      type: 'Input.ChoiceSet',
      id: INPUTS.topic,
      label: 'Topic',
      style: 'compact',
      value: topic.id,
      choices: [...kb.topics.values()].map((t) => ({ title: limit(t.title, 75), value: t.id })),
    },
  ];
  const data = { cardTopic: topic.id, question: input.question, ...(input.source ? { source: input.source } : {}), ...(input.at ? { at: input.at } : {}) };
  if (input.detected?.note) body.push(text(escapeMarkdown(input.detected.note), { isSubtle: true }));
  if (input.detected?.prompt && input.detected.choices.length > 0) {
    body.push(text(escapeMarkdown(input.detected.prompt)));
    body.push({ type: 'ActionSet', actions: input.detected.choices.map((c) => ({ type: 'Action.Submit', title: limit(c.title, 75), data: { rc: ACTIONS.consultSwitch, ...data, pick: c.topic } })) });
  }
  if (input.notice) body.push(text(escapeMarkdown(input.notice), { color: 'Accent' }));
  const failing = Object.keys(errors).length;
  if (failing) body.push(text(`Please fix ${failing === 1 ? 'the answer marked below' : `the ${failing} answers marked below`}, then press “Get verdict” again.`, { color: 'Attention', weight: 'Bolder' }));
  if (errors.topic) body.push(errorLine(errors.topic));
  for (const q of topic.questions) {
    const items: CardElement[] = [];
    const answer = answers[q.id];
    items.push({
      type: 'Input.ChoiceSet',
      id: questionInputId(q.id),
      label: limit(q.text, 150),
      style: 'compact',
      placeholder: 'Choose',
      choices: q.choices.map((c) => ({ title: limit(c.label, 75), value: c.id })),
      ...(answer !== undefined && q.choices.some((c) => c.id === answer) ? { value: answer } : {}),
    });
    if (q.when) items.push(text(`Answer only if ${describeCondition(topic, q.when)}.`, { isSubtle: true, size: 'Small', spacing: 'None' }));
    else if (q.help) items.push(text(q.help, { isSubtle: true, size: 'Small', spacing: 'None' }));
    const error = errors[q.id];
    if (error) items.push(errorLine(error));
    body.push({ type: 'Container', id: `c:${q.id}`, items, ...(error ? { style: 'attention' as const } : {}) });
  }
  return fitCard(
    card(
      body,
      [
        { type: 'Action.Submit', title: 'Get verdict', style: 'positive', data: { rc: ACTIONS.consultSubmit, ...data } },
        { type: 'Action.Submit', title: 'Switch topic', data: { rc: ACTIONS.consultSwitch, ...data } },
      ],
      `Reality check: ${topic.title}. Answer the questions on the card.`,
    ),
  );
}

/** What the questionnaire card turns into once its verdict has been sent. */
export function renderAnsweredCard(question: string, topicTitle: string, consultationId: string): AdaptiveCard {
  return card([
    text('Reality check', { weight: 'Bolder', size: 'Medium' }),
    text(`> ${escapeMarkdown(limit(question.replace(/\s+/g, ' '), 500))}`, { isSubtle: true }),
    text(`Answered — ${topicTitle}. The verdict (${consultationId}) follows below.`, { color: 'Good' }),
  ]);
}
