// Terminal prompts for the questionnaire and for recording outcomes and what happened (@inquirer/prompts).
import { input, select } from '@inquirer/prompts';
import { nextQuestion, pruneAnswers } from '../consult/questionnaire.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Topic } from '../knowledge/schema.js';
import { MAX_STORY_LENGTH } from '../service/consult-service.js';
import type { OutcomeInput, PredictionRow } from '../store/types.js';

const BACK = '__back__';

export async function chooseTopic(kb: KnowledgeBase, detected: string | null): Promise<string> {
  const choices = [...kb.topics.values()].map((t) => ({ name: t.title, value: t.id }));
  return select({ message: 'Topic', choices, default: detected ?? 'general' });
}

export async function askQuestions(topic: Topic): Promise<Record<string, string>> {
  let answers: Record<string, string> = {};
  const history: string[] = [];
  for (let q = nextQuestion(topic, answers); q; q = nextQuestion(topic, answers)) {
    const step = history.length + 1;
    const choices = q.choices.map((c) => ({ name: c.label, value: c.id }));
    if (history.length > 0) choices.push({ name: '← back', value: BACK });
    const choice = await select({ message: `${step}. ${q.text}`, choices });
    if (choice === BACK) {
      const previous = history.pop()!;
      const { [previous]: _dropped, ...rest } = answers;
      answers = pruneAnswers(topic, rest);
      continue;
    }
    answers = pruneAnswers(topic, { ...answers, [q.id]: choice });
    history.push(q.id);
  }
  return answers;
}

function parseOptionalNumber(text: string): number | null {
  const trimmed = text.trim().replace(/[$,_\s]/g, '');
  if (trimmed === '') return null;
  const match = /^(\d+(?:\.\d+)?)([km])?$/i.exec(trimmed);
  if (!match) return Number.NaN;
  const scale = match[2]?.toLowerCase() === 'm' ? 1e6 : match[2]?.toLowerCase() === 'k' ? 1e3 : 1;
  return Number(match[1]) * scale;
}

export async function askOutcomes(predictions: PredictionRow[], names: Map<string, string>, author: string, alternative?: string): Promise<OutcomeInput> {
  const adopted = await select({
    message: 'Did you adopt it?',
    choices: [{ name: 'Yes', value: 'yes' }, { name: "We didn't adopt it", value: 'no' }],
  });
  if (adopted === 'no') return { failureModes: {}, notAdopted: true };
  const failureModes: Record<string, boolean | null> = {};
  for (const p of predictions) {
    const answer = await select({
      message: `${names.get(p.failureMode) ?? p.failureMode} (predicted ${Math.round(p.probability * 100)}%)`,
      choices: [
        { name: 'Happened', value: 'yes' },
        { name: "Didn't happen", value: 'no' },
        { name: 'Too early to say', value: 'skip' },
      ],
    });
    failureModes[p.failureMode] = answer === 'skip' ? null : answer === 'yes';
  }
  const validate = (v: string): true | string =>
    Number.isNaN(parseOptionalNumber(v)) ? 'Enter a number such as 250000, 250k or 1.2M, or leave empty' : true;
  const cost = await input({ message: 'Actual first-year cost in USD (empty if not known yet)', validate });
  const months = await input({ message: 'Actual months to production (empty if not there yet)', validate });
  const followed = await select({
    message: alternative ? `Did you follow the suggested alternative ("${alternative}")?` : 'Did you follow the suggested alternative?',
    choices: [
      { name: 'Yes', value: 'yes' },
      { name: 'No', value: 'no' },
      { name: 'Not sure', value: 'skip' },
    ],
  });
  const story = await input({
    message: 'What happened, in a sentence or two? (empty to skip)',
    validate: (v) => (v.trim().length <= MAX_STORY_LENGTH ? true : `At most ${MAX_STORY_LENGTH} characters, please.`),
  });
  const outcomes: OutcomeInput = { failureModes, actualCost: parseOptionalNumber(cost), actualMonths: parseOptionalNumber(months) };
  if (followed !== 'skip') outcomes.followedAlternative = followed === 'yes';
  if (story.trim()) {
    const keep = await select({ message: 'Who may see your note?', choices: [{ name: 'Quote it to the next person here who asks', value: 'public' }, { name: 'Keep it private (it still counts)', value: 'private' }] });
    outcomes.story = { text: story, private: keep === 'private', author };
  }
  return outcomes;
}
