// Wording shared by every questionnaire form (Slack modal, Teams card): when a conditional question applies.
import type { Topic } from '../knowledge/schema.js';

/** `“How many engineers…?” is 50 to 200 or More than 200` */
export function describeCondition(topic: Topic, when: Record<string, string[]>): string {
  return Object.entries(when)
    .map(([qid, choices]) => {
      const q = topic.questions.find((x) => x.id === qid);
      const labels = choices.map((c) => q?.choices.find((x) => x.id === c)?.label ?? c);
      return `“${q?.text ?? qid}” is ${labels.join(' or ')}`;
    })
    .join(' and ');
}
