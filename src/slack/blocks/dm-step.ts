// One step of the DM questionnaire: the question as buttons (a select when there are many choices),
// with back and cancel. Each click arrives as a block action carrying the question and the choice.
import type { KnownBlock } from '@slack/types';
import type { ConversationStep } from '../../consult/conversation.js';
import type { KnowledgeBase } from '../../knowledge/load.js';
import type { DetectionView } from '../../present/detection.js';
import { escapeText, limit, LIMITS } from '../escape.js';

export const DM_ACTIONS = { answer: 'dm_answer', select: 'dm_select', back: 'dm_back', cancel: 'dm_cancel', topic: 'dm_topic', pick: 'dm_topic_pick' } as const;

/** On the first step only: the general-assessment line, and one-click topic choices when detection was unsure. */
export type DmDetection = Pick<DetectionView, 'note' | 'prompt' | 'choices'>;

function detectionBlocks(detected: DmDetection | undefined): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (detected?.note) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeText(detected.note) }] });
  if (detected?.prompt && detected.choices.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: limit(escapeText(detected.prompt), LIMITS.sectionText) } });
    blocks.push({
      type: 'actions',
      block_id: 'topic_choices',
      elements: detected.choices.map((c, i) => ({ type: 'button' as const, action_id: `${DM_ACTIONS.pick}:${i}`, text: { type: 'plain_text' as const, text: limit(c.title, LIMITS.buttonText) }, value: c.topic })),
    });
  }
  return blocks;
}

export function renderDmStepBlocks(kb: KnowledgeBase, step: Extract<ConversationStep, { kind: 'question' }>, question: string, detected?: DmDetection): KnownBlock[] {
  const q = step.question;
  const choiceElements: KnownBlock =
    q.choices.length <= 5
      ? {
          type: 'actions',
          block_id: `answer:${q.id}`,
          elements: q.choices.map((c, i) => ({
            type: 'button' as const,
            action_id: `${DM_ACTIONS.answer}:${i}`,
            text: { type: 'plain_text' as const, text: limit(c.label, LIMITS.buttonText) },
            value: JSON.stringify({ q: q.id, c: c.id }),
          })),
        }
      : {
          type: 'actions',
          block_id: `answer:${q.id}`,
          elements: [
            {
              type: 'static_select',
              action_id: DM_ACTIONS.select,
              placeholder: { type: 'plain_text', text: 'Choose' },
              options: q.choices.map((c) => ({ text: { type: 'plain_text', text: limit(c.label, LIMITS.optionText) }, value: JSON.stringify({ q: q.id, c: c.id }) })),
            },
          ],
        };
  const controls = [
    ...(step.canGoBack ? [{ type: 'button' as const, action_id: DM_ACTIONS.back, text: { type: 'plain_text' as const, text: '← Back' }, value: 'back' }] : []),
    { type: 'button' as const, action_id: DM_ACTIONS.cancel, text: { type: 'plain_text' as const, text: 'Cancel' }, value: 'cancel', style: 'danger' as const },
  ];
  return [
    {
      type: 'section',
      block_id: 'topic',
      text: { type: 'mrkdwn', text: limit(`>${escapeText(question)}\nTopic: *${escapeText(step.topicTitle)}* — question ${step.step} of ${step.total}`, LIMITS.sectionText) },
      accessory: {
        type: 'static_select',
        action_id: DM_ACTIONS.topic,
        placeholder: { type: 'plain_text', text: 'Change topic' },
        options: [...kb.topics.values()].map((t) => ({ text: { type: 'plain_text', text: limit(t.title, LIMITS.optionText) }, value: t.id })),
      },
    },
    ...detectionBlocks(detected),
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeText(q.text)}*${q.help ? `\n${escapeText(q.help)}` : ''}` } },
    choiceElements,
    { type: 'actions', block_id: 'controls', elements: controls },
  ];
}
