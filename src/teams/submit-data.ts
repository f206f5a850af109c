// What a card's Action.Submit sends back as `activity.value`: our own data (which action, which
// consultation) merged with the card's input values. Parsed with zod; anything else is not ours.
import { z } from 'zod';
import { MAX_QUESTION_LENGTH, MAX_STORY_LENGTH } from '../service/consult-service.js';

export const ACTIONS = {
  consultSubmit: 'consult.submit',
  consultSwitch: 'consult.switch',
  startTopic: 'topic.start',
  explain: 'verdict.explain',
  exportAdr: 'verdict.adr',
  checkInSubmit: 'checkin.submit',
} as const;

/** Input ids on the cards; question inputs are `q:<question id>`, check-in choices `fm:<failure mode id>`. */
export const INPUTS = { topic: 'topic', cost: 'cost', months: 'months', notAdopted: 'notAdopted', story: 'story', storyPrivate: 'storyPrivate', followed: 'followedAlternative' } as const;
export const questionInputId = (questionId: string): string => `q:${questionId}`;
export const failureModeInputId = (failureModeId: string): string => `fm:${failureModeId}`;

const inputValue = z.union([z.string().max(200), z.number(), z.boolean()]).optional();
const question = z.string().min(1).max(MAX_QUESTION_LENGTH);
const id = z.string().regex(/^[a-z0-9-]{1,64}$/);
const topicId = z.string().regex(/^[a-z0-9-]{1,64}$/);

/** A message action's source message: the link back to it. */
const source = z.string().max(2000).regex(/^https:\/\//).optional();
/** `pick`: a one-click topic choice (its own field: the card's topic input would overwrite `topic`). */
/** `at`: when the questionnaire began (ms), carried by the card so its consultation's id sorts by time. */
const consultShape = { cardTopic: topicId, question, topic: topicId.optional(), pick: topicId.optional(), source, at: z.number().int().positive().optional() };

export const submitSchema = z.discriminatedUnion('rc', [
  z.looseObject({ rc: z.literal(ACTIONS.consultSubmit), ...consultShape }),
  z.looseObject({ rc: z.literal(ACTIONS.consultSwitch), ...consultShape }),
  z.looseObject({ rc: z.literal(ACTIONS.startTopic), topic: topicId }),
  z.looseObject({ rc: z.literal(ACTIONS.explain), id }),
  z.looseObject({ rc: z.literal(ACTIONS.exportAdr), id }),
  z.looseObject({
    rc: z.literal(ACTIONS.checkInSubmit), id, [INPUTS.cost]: inputValue, [INPUTS.months]: inputValue, [INPUTS.notAdopted]: inputValue, [INPUTS.followed]: inputValue,
    // Longer than the card allows, so a client that ignores maxLength is told on the card, not refused.
    [INPUTS.story]: z.string().max(10 * MAX_STORY_LENGTH).optional(), [INPUTS.storyPrivate]: inputValue,
    /** The card showed a note in the box: an emptied box takes it back. */
    storyShown: z.boolean().optional(),
  }),
]);
export type SubmitData = z.infer<typeof submitSchema>;

/** Null when the value is not one of our submits (another app's card, a bare object). */
export function parseSubmit(value: unknown): SubmitData | null {
  const parsed = submitSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The `prefix<id>` inputs of a submit with a non-empty string value, keyed by id. */
export function prefixedInputs(data: Record<string, unknown>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!key.startsWith(prefix)) continue;
    const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
    if (text !== '' && text.length <= 200) out[key.slice(prefix.length)] = text;
  }
  return out;
}
