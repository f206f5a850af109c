// The check-in card sent to the asker: each predicted failure mode with happened / didn't / too
// early, the actual cost and months, and "we didn't adopt it"; one submit records all of it.
import type { CheckInView } from '../../present/check-in.js';
import { MAX_STORY_LENGTH } from '../../service/consult-service.js';
import { ACTIONS, failureModeInputId, INPUTS } from '../submit-data.js';
import { escapeMarkdown as md, limit } from '../text.js';
import { card, fitCard, text, type AdaptiveCard, type CardElement } from './types.js';

export const OUTCOME_CHOICES = [
  { title: 'Happened', value: 'happened' },
  { title: "Didn't happen", value: 'not-happened' },
  { title: 'Too early to say', value: 'too-early' },
] as const;
export type OutcomeChoice = (typeof OUTCOME_CHOICES)[number]['value'];

export interface CheckInCardOptions {
  /** Field (failure mode id, "cost", "months") → what is wrong with it. */
  errors?: Readonly<Record<string, string>>;
  /** A line under the intro, e.g. "Saved." after a submit. */
  notice?: string;
  /** Who the card is for: a private note is put back in the box only for its author. */
  viewer?: string;
}

export function renderCheckInCard(v: CheckInView, options: CheckInCardOptions = {}): AdaptiveCard {
  const errors = options.errors ?? {};
  const question = md(limit(v.question.replace(/\s+/g, ' '), 300));
  const intro = v.reminder
    ? `A reminder: on ${v.askedOn} you asked “${question}”. What happened?`
    : `Check-in time! On ${v.askedOn} you asked “${question}” (${md(v.title)}). I made predictions — what really happened?`;
  const body: CardElement[] = [text(`Check-in for ${v.consultationId}`, { weight: 'Bolder', size: 'Medium' }), text(intro)];
  if (options.notice) body.push(text(md(options.notice), { color: 'Good' }));
  if (v.notAdopted) {
    body.push(text("Recorded: you didn't adopt it, so these predictions are left out of the scores. Thanks!"));
    return card(body, [], `Check-in for ${v.consultationId}`);
  }
  const errorLine = (key: string): CardElement[] => (errors[key] ? [text(`⚠ ${md(errors[key]!)}`, { color: 'Attention', size: 'Small', spacing: 'None' })] : []);
  for (const f of v.failureModes.slice(0, 12)) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        text(`**${md(f.name)}** — predicted ${f.probabilityText}`),
        ...(f.sign ? [text(md(f.sign), { isSubtle: true, size: 'Small', spacing: 'None' })] : []),
        {
          type: 'Input.ChoiceSet',
          id: failureModeInputId(f.id),
          style: 'compact',
          placeholder: 'Not answered yet',
          choices: OUTCOME_CHOICES.map((c) => ({ ...c })),
          ...(f.answer ? { value: f.answer } : {}),
        },
        ...errorLine(f.id),
      ],
    });
  }
  body.push(
    text(`Predicted cost: ${v.costLine}. Predicted time to production: ${v.timeLine}.`, { separator: true }),
    { type: 'Input.Number', id: INPUTS.cost, label: 'Actual first-year cost (USD) — leave empty if unknown', min: 0, placeholder: 'e.g. 120000' },
    ...errorLine(INPUTS.cost),
    { type: 'Input.Number', id: INPUTS.months, label: 'Actual months to production — leave empty if not in production yet', min: 0, placeholder: 'e.g. 7' },
    ...errorLine(INPUTS.months),
    ...(v.alternative
      ? [
          {
            type: 'Input.ChoiceSet' as const,
            id: INPUTS.followed,
            label: `Did you follow the suggested alternative, “${limit(v.alternative, 150)}”?`,
            style: 'compact' as const,
            placeholder: 'Not answered yet',
            choices: [
              { title: 'Yes', value: 'yes' },
              { title: 'No', value: 'no' },
            ],
            ...(v.followedAlternative === null ? {} : { value: v.followedAlternative ? 'yes' : 'no' }),
          },
        ]
      : []),
    { type: 'Input.Toggle', id: INPUTS.notAdopted, title: "We didn't adopt it", value: 'false', valueOn: 'true', valueOff: 'false' },
  );
  const shown = v.story && (!v.story.private || v.story.recordedBy === options.viewer) ? v.story : null;
  if (v.story && !shown) body.push(text('A private note about what happened is recorded; only its author sees it here.', { isSubtle: true, size: 'Small' }));
  body.push(
    {
      type: 'Input.Text',
      id: INPUTS.story,
      label: 'What happened, in a sentence or two? The next person here who asks about this will see it.',
      isMultiline: true,
      maxLength: MAX_STORY_LENGTH,
      placeholder: 'e.g. Networking incidents twice in the first quarter; the migration took twice as long.',
      ...(shown ? { value: shown.text } : {}),
    },
    ...errorLine(INPUTS.story),
    { type: 'Input.Toggle', id: INPUTS.storyPrivate, title: 'Keep my note private (it counts in the figures, but is never quoted)', value: shown?.private ? 'true' : 'false', valueOn: 'true', valueOff: 'false' },
  );
  return fitCard(
    card(body, [{ type: 'Action.Submit', title: 'Save outcomes', style: 'positive', data: { rc: ACTIONS.checkInSubmit, id: v.consultationId, ...(shown ? { storyShown: true } : {}) } }], `Check-in: what happened after “${limit(v.question, 100)}”?`),
  );
}
