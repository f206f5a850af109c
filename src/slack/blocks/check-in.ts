// The check-in DM: each predicted failure mode with happened / didn't happen / too early, a button for
// the actual cost and time, and "we didn't adopt it". The message is updated as answers arrive.
import type { KnownBlock, View } from '@slack/types';
import type { CheckInView } from '../../present/check-in.js';
import { MAX_STORY_LENGTH } from '../../service/consult-service.js';
import { escapeText, limit, LIMITS } from '../escape.js';

export const CHECK_IN_ACTIONS = { outcome: 'checkin_outcome', actuals: 'checkin_actuals', notAdopted: 'checkin_not_adopted' } as const;
export const ACTUALS_CALLBACK = 'checkin_actuals_modal';
/** The modal's story blocks (block id = action id). */
export const STORY_INPUTS = { text: 'story', private: 'story_private' } as const;

const PRIVATE_OPTION = {
  text: { type: 'plain_text' as const, text: 'Keep my note private' },
  description: { type: 'plain_text' as const, text: 'It still counts in the figures, but is never quoted.' },
  value: 'private',
};
/** The actuals modal's "did you follow the suggested alternative?" radio buttons: block and action id. */
export const FOLLOWED_INPUT = 'followed';

const ANSWER_TEXT = { happened: ':white_check_mark: happened', 'not-happened': ':heavy_minus_sign: did not happen' } as const;

export function renderCheckInBlocks(v: CheckInView): KnownBlock[] {
  const intro = v.reminder
    ? `A reminder: on ${v.askedOn} you asked “${escapeText(limit(v.question, 300))}”. What happened?`
    : `Check-in time! On ${v.askedOn} you asked “${escapeText(limit(v.question, 300))}” (${escapeText(v.title)}). I made predictions — what really happened?`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: limit(intro, LIMITS.sectionText) } }];
  if (v.notAdopted) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: "Recorded: you didn't adopt it, so these predictions are left out of the scores. Thanks!" } });
    return blocks;
  }
  for (const f of v.failureModes.slice(0, 12)) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: limit(`*${escapeText(f.name)}* — predicted ${f.probabilityText}\n_${escapeText(f.sign)}_${f.answer ? `\n${ANSWER_TEXT[f.answer]}` : ''}`, LIMITS.sectionText) },
    });
    blocks.push({
      type: 'actions',
      block_id: `fm:${f.id}`,
      elements: (['happened', 'not-happened', 'too-early'] as const).map((answer) => ({
        type: 'button' as const,
        action_id: `${CHECK_IN_ACTIONS.outcome}:${answer}`,
        text: { type: 'plain_text' as const, text: answer === 'happened' ? 'Happened' : answer === 'not-happened' ? "Didn't happen" : 'Too early to say' },
        value: JSON.stringify({ id: v.consultationId, fm: f.id, a: answer }),
        ...(f.answer === answer ? { style: 'primary' as const } : {}),
      })),
    });
  }
  // A private note is not shown here either: this message may be an admin's copy. Its author sees it in the modal.
  if (v.story) {
    const text = v.story.private
      ? '_A private note about what happened is recorded._ Its author can see or change it under “Record cost, time and what happened”.'
      : `_What happened:_\n>${escapeText(v.story.text).split('\n').join('\n>')}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: limit(text, LIMITS.sectionText) } });
  }
  blocks.push(
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: limit(`Predicted cost: ${v.costLine}. Predicted time to production: ${v.timeLine}.${v.alternative ? ` Suggested alternative: “${escapeText(v.alternative)}”.` : ''}`, LIMITS.sectionText),
      },
    },
    {
      type: 'actions',
      block_id: 'checkin_more',
      elements: [
        { type: 'button', action_id: CHECK_IN_ACTIONS.actuals, text: { type: 'plain_text', text: 'Record cost, time and what happened' }, value: v.consultationId },
        { type: 'button', action_id: CHECK_IN_ACTIONS.notAdopted, text: { type: 'plain_text', text: "We didn't adopt it" }, value: v.consultationId },
      ],
    },
  );
  return blocks.slice(0, LIMITS.messageBlocks);
}

export function renderActualsModal(consultationId: string, story: { text: string; private: boolean } | null = null): View {
  const number = (id: string, label: string, hint: string) => ({
    type: 'input' as const,
    block_id: id,
    optional: true,
    label: { type: 'plain_text' as const, text: label },
    hint: { type: 'plain_text' as const, text: hint },
    element: { type: 'number_input' as const, action_id: id, is_decimal_allowed: true, min_value: '0' },
  });
  return {
    type: 'modal',
    callback_id: ACTUALS_CALLBACK,
    private_metadata: consultationId,
    title: { type: 'plain_text', text: 'What happened' },
    submit: { type: 'plain_text', text: 'Save' },
    blocks: [
      number('cost', 'Actual first-year cost (USD)', 'Leave empty if you do not know yet.'),
      number('months', 'Actual months to production', 'Leave empty if it is not in production yet.'),
      {
        type: 'input',
        block_id: STORY_INPUTS.text,
        optional: true,
        label: { type: 'plain_text', text: 'What happened, in a sentence or two?' },
        hint: { type: 'plain_text', text: 'The next person here who asks about this will see it, with your name and the month.' },
        element: {
          type: 'plain_text_input',
          action_id: STORY_INPUTS.text,
          multiline: true,
          max_length: MAX_STORY_LENGTH,
          ...(story ? { initial_value: story.text } : {}),
        },
      },
      {
        type: 'input',
        block_id: STORY_INPUTS.private,
        optional: true,
        label: { type: 'plain_text', text: 'Privacy' },
        element: {
          type: 'checkboxes',
          action_id: STORY_INPUTS.private,
          options: [PRIVATE_OPTION],
          ...(story?.private ? { initial_options: [PRIVATE_OPTION] } : {}),
        },
      },
      {
        type: 'input',
        block_id: FOLLOWED_INPUT,
        optional: true,
        label: { type: 'plain_text', text: 'Did you follow the suggested alternative?' },
        element: {
          type: 'radio_buttons',
          action_id: FOLLOWED_INPUT,
          options: [
            { text: { type: 'plain_text', text: 'Yes' }, value: 'yes' },
            { text: { type: 'plain_text', text: 'No' }, value: 'no' },
          ],
        },
      },
    ],
  };
}
