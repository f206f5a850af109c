// The check-in card's submit: outcomes per failure mode, actual cost and months, "we didn't adopt it",
// "followed the suggested alternative" and what happened (private or not) → ConsultService.resolve. Only
// the asker may record: Teams tells a bot nothing cheap about admins.
import type { TurnContext } from 'botbuilder';
import { buildCheckInView } from '../../present/check-in.js';
import { MAX_STORY_LENGTH } from '../../service/consult-service.js';
import type { OutcomeInput } from '../../store/types.js';
import { OUTCOME_CHOICES, renderCheckInCard, type OutcomeChoice } from '../cards/check-in.js';
import { turnFacts, type TeamsDeps } from '../deps.js';
import { updateCard } from '../reply.js';
import { ACTIONS, INPUTS, prefixedInputs, type SubmitData } from '../submit-data.js';

type CheckInSubmit = Extract<SubmitData, { rc: typeof ACTIONS.checkInSubmit }>;

function readNumber(value: unknown): number | null | 'invalid' {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isFinite(n) && n >= 0 ? n : 'invalid';
}

const isChoice = (value: string): value is OutcomeChoice => OUTCOME_CHOICES.some((c) => c.value === value);

export async function handleCheckInSubmit(ctx: TurnContext, deps: TeamsDeps, data: CheckInSubmit): Promise<void> {
  const facts = turnFacts(ctx.activity);
  const row = await deps.service.get(facts.workspace, data.id);
  const errors: Record<string, string> = {};
  const failureModes: OutcomeInput['failureModes'] = {};
  for (const [fm, answer] of Object.entries(prefixedInputs(data, 'fm:'))) {
    if (!isChoice(answer)) errors[fm] = 'Pick happened, didn’t happen or too early to say.';
    else failureModes[fm] = answer === 'too-early' ? null : answer === 'happened';
  }
  const storyText = (data[INPUTS.story] ?? '').trim();
  if (storyText.length > MAX_STORY_LENGTH) errors[INPUTS.story] = `A sentence or two, please: at most ${MAX_STORY_LENGTH} characters.`;
  const cost = readNumber(data[INPUTS.cost]);
  const months = readNumber(data[INPUTS.months]);
  if (cost === 'invalid') errors[INPUTS.cost] = 'Enter a number of dollars, 0 or more.';
  if (months === 'invalid') errors[INPUTS.months] = 'Enter a number of months, 0 or more.';
  const predictions = () => deps.store.consultations.predictions(facts.workspace, row.id);
  if (Object.keys(errors).length) {
    await updateCard(ctx, renderCheckInCard(buildCheckInView(row, await predictions(), false), { errors, viewer: facts.userId }));
    return;
  }
  const notAdopted = data[INPUTS.notAdopted];
  const followed = data[INPUTS.followed];
  const outcomes: OutcomeInput = {
    failureModes,
    ...(typeof cost === 'number' ? { actualCost: cost } : {}),
    ...(typeof months === 'number' ? { actualMonths: months } : {}),
    ...(notAdopted === undefined ? {} : { notAdopted: notAdopted === true || notAdopted === 'true' }),
    ...(followed === 'yes' || followed === 'no' ? { followedAlternative: followed === 'yes' } : {}),
  };
  const keepPrivate = data[INPUTS.storyPrivate] === true || data[INPUTS.storyPrivate] === 'true';
  // An emptied box takes back the note the card showed; an empty box that showed none changes nothing.
  if (storyText) outcomes.story = { text: storyText, private: keepPrivate, author: facts.userName };
  else if (data.storyShown) outcomes.story = null;
  // Throws ForbiddenError for anyone but the asker; onTurnError words it.
  const saved = await deps.service.resolve(facts.workspace, row.id, { userId: facts.userId, isAdmin: false }, outcomes);
  deps.logger.info({ consultationId: row.id, workspace: facts.workspace, answered: Object.keys(failureModes).length }, 'check-in recorded');
  const notice = outcomes.story ? (outcomes.story.private ? ' Your note is kept private: it counts, but nobody will see it quoted.' : ' The next person here who asks about this will see your note.') : '';
  await updateCard(ctx, renderCheckInCard(buildCheckInView(saved, await predictions(), false), { notice: `Saved — thank you. This is how the predictions get better.${notice} You can change the answers and save again.`, viewer: facts.userId }));
}
