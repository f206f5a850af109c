// The consultation modal: the question, a topic select that swaps the questions (dispatch_action →
// views.update), one input per question and who should see the verdict.
import type { KnownBlock, PlainTextOption, View } from '@slack/types';
import { z } from 'zod';
import type { KnowledgeBase } from '../../knowledge/load.js';
import type { Topic } from '../../knowledge/schema.js';
import { escapeText, limit, LIMITS } from '../escape.js';
import type { DetectionView } from '../../present/detection.js';
import { describeCondition } from '../../present/questionnaire.js';

export const MODAL_CALLBACK = 'consult_modal';
export const TOPIC_ACTION = 'modal_topic';
/** One-click topic choices when detection was unsure: `modal_topic_pick:<n>`, the topic id as value. */
export const TOPIC_PICK_ACTION = 'modal_topic_pick';
export const CHOICE_ACTION = 'choice';
export const VISIBILITY_BLOCK = 'visibility';
export const questionBlockId = (questionId: string): string => `q:${questionId}`;

export const modalMetadataSchema = z.object({
  channel: z.string().nullable(),
  question: z.string(),
  topic: z.string(),
  /** True when the command came from a DM with the bot, where "in a thread" makes no sense. */
  dm: z.boolean(),
  /** A message shortcut: the message's link and the thread the verdict answers in. */
  source: z.object({ url: z.string(), threadTs: z.string() }).optional(),
  /** When the modal was opened (ms): part of the consultation's id, so ids sort by time. Older modals lack it. */
  at: z.number().int().positive().optional(),
});
export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

export const VISIBILITY = { channel: 'channel', thread: 'thread', me: 'me' } as const;
export type Visibility = keyof typeof VISIBILITY;

function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text: limit(text, LIMITS.optionText) }, value };
}


/** Metadata must stay valid JSON under Slack's 3,000-character limit: shorten the question, not the JSON. */
export function encodeMetadata(meta: ModalMetadata): string {
  let question = meta.question;
  for (;;) {
    const json = JSON.stringify({ ...meta, question });
    if (json.length <= LIMITS.privateMetadata) return json;
    question = question.slice(0, question.length - Math.max(1, json.length - LIMITS.privateMetadata));
  }
}


/** What the head says about the detected topic: present/detection's view, or only a confidence. */
export type ModalDetection = Pick<DetectionView, 'confidence'> & Partial<Pick<DetectionView, 'note' | 'prompt' | 'choices'>>;

/** The general-assessment line, and the topics to pick from with one click when detection was unsure. */
function detectionBlocks(detected: ModalDetection | null): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (detected?.note) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeText(detected.note) }] });
  if (detected?.prompt && detected.choices?.length) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: limit(escapeText(detected.prompt), LIMITS.sectionText) } });
    blocks.push({
      type: 'actions',
      block_id: 'topic_choices',
      elements: detected.choices.map((c, i) => ({ type: 'button' as const, action_id: `${TOPIC_PICK_ACTION}:${i}`, text: { type: 'plain_text' as const, text: limit(c.title, LIMITS.buttonText) }, value: c.topic })),
    });
  }
  return blocks;
}

/** The blocks that change with every request: the question and the detected topic. */
function headBlocks(kb: KnowledgeBase, meta: ModalMetadata, detected: ModalDetection | null): KnownBlock[] {
  const topic = kb.topics.get(meta.topic)!;
  const detectedText = detected && detected.confidence !== null
    ? `I read this as *${escapeText(topic.title)}* (confidence ${Math.round(detected.confidence * 100)}%). Not right? Pick another topic.`
    : `Topic: *${escapeText(topic.title)}*. Pick another if it fits better.`;
  return [
    { type: 'section', text: { type: 'mrkdwn', text: limit(`*Your question*\n>${escapeText(meta.question)}`, LIMITS.sectionText) } },
    {
      type: 'section',
      block_id: 'topic',
      text: { type: 'mrkdwn', text: detectedText },
      accessory: { type: 'static_select', action_id: TOPIC_ACTION, options: [...kb.topics.values()].map((t) => option(t.title, t.id)), initial_option: option(topic.title, topic.id) },
    },
    ...detectionBlocks(detected),
    { type: 'divider' },
  ];
}

/** The blocks that depend only on the topic and on whether this is a DM. */
function questionBlocks(topic: Topic, dm: boolean): KnownBlock[] {
  const blocks: KnownBlock[] = topic.questions.map((q) => ({
    type: 'input',
    block_id: questionBlockId(q.id),
    optional: q.when !== undefined,
    label: { type: 'plain_text', text: limit(q.text, LIMITS.plainLabel) },
    ...(q.when ? { hint: { type: 'plain_text' as const, text: limit(`Answer only if ${describeCondition(topic, q.when)}.`, LIMITS.plainLabel) } } : {}),
    element: { type: 'static_select', action_id: CHOICE_ACTION, placeholder: { type: 'plain_text', text: 'Choose' }, options: q.choices.map((c) => option(c.label, c.id)) },
  }));
  const visibility = dm
    ? [option('Only me (here in our DM)', VISIBILITY.me)]
    : [option('Everyone in the channel', VISIBILITY.channel), option('The channel, in a thread', VISIBILITY.thread), option('Only me (by DM)', VISIBILITY.me)];
  blocks.push({
    type: 'input',
    block_id: VISIBILITY_BLOCK,
    label: { type: 'plain_text', text: 'Who should see the verdict?' },
    element: { type: 'radio_buttons', action_id: 'visibility', options: visibility, initial_option: visibility[dm ? 0 : 1]! },
  });
  return blocks;
}

const MODAL_FRAME = {
  type: 'modal',
  callback_id: MODAL_CALLBACK,
  title: { type: 'plain_text', text: 'Reality check' },
  submit: { type: 'plain_text', text: 'Get verdict' },
  close: { type: 'plain_text', text: 'Cancel' },
} as const;

export function renderConsultModal(kb: KnowledgeBase, meta: ModalMetadata, detected: ModalDetection | null): View {
  const blocks = [...headBlocks(kb, meta, detected), ...questionBlocks(kb.topics.get(meta.topic)!, meta.dm)];
  return { ...MODAL_FRAME, private_metadata: encodeMetadata(meta), blocks: blocks.slice(0, LIMITS.modalBlocks) };
}

const staticJson = new WeakMap<KnowledgeBase, Map<string, string>>();

/**
 * The same modal as renderConsultModal, serialised, with the per-topic part serialised once and
 * reused: opening the modal is the slash command's hot path, and the trigger id expires in 3 s.
 */
export function renderConsultModalJson(kb: KnowledgeBase, meta: ModalMetadata, detected: ModalDetection | null): string {
  let cache = staticJson.get(kb);
  if (!cache) {
    cache = new Map();
    staticJson.set(kb, cache);
  }
  const key = `${meta.topic}:${meta.dm}`;
  let tail = cache.get(key);
  if (tail === undefined) {
    tail = JSON.stringify(questionBlocks(kb.topics.get(meta.topic)!, meta.dm)).slice(1, -1);
    cache.set(key, tail);
  }
  const head = JSON.stringify(headBlocks(kb, meta, detected)).slice(1, -1);
  const frame = JSON.stringify({ ...MODAL_FRAME, private_metadata: encodeMetadata(meta) }).slice(0, -1);
  return `${frame},"blocks":[${head},${tail}]}`;
}

export const CHECK_IN_CALLBACK = 'check_in_modal';

export function renderCheckInModal(consultationId: string, currentDate: string): View {
  return {
    type: 'modal',
    callback_id: CHECK_IN_CALLBACK,
    title: { type: 'plain_text', text: 'Change check-in' },
    submit: { type: 'plain_text', text: 'Save' },
    private_metadata: consultationId,
    blocks: [
      {
        type: 'input',
        block_id: 'date',
        label: { type: 'plain_text', text: `When should I check back on ${consultationId}?` },
        element: { type: 'datepicker', action_id: 'date', initial_date: currentDate },
      },
    ],
  };
}
