// The guided questionnaire: which question comes next, whether a condition holds, and turning a raw
// answer (a choice id or its 1-based number) into a choice id with a message a person understands.
import { AnswerError } from '../errors.js';
import type { Condition, Question, Topic } from '../knowledge/schema.js';

/** Question id → choice id. */
export type Answers = Readonly<Record<string, string>>;

export function conditionHolds(condition: Condition | undefined, answers: Answers): boolean {
  if (!condition) return true;
  // for…in, not Object.entries: this runs for every rule of every failure mode, many times a submission.
  for (const questionId in condition) {
    const answer = answers[questionId];
    if (answer === undefined || !condition[questionId]!.includes(answer)) return false;
  }
  return true;
}

/** The questions that apply given the answers so far, in knowledge-base order. */
export function applicableQuestions(topic: Topic, answers: Answers): Question[] {
  return topic.questions.filter((q) => conditionHolds(q.when, answers));
}

export function nextQuestion(topic: Topic, answers: Answers): Question | undefined {
  return applicableQuestions(topic, answers).find((q) => answers[q.id] === undefined);
}

export function isComplete(topic: Topic, answers: Answers): boolean {
  return nextQuestion(topic, answers) === undefined;
}

/** Answers that no longer apply (a condition changed after "back") are dropped. */
export function pruneAnswers(topic: Topic, answers: Answers): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const q of topic.questions) {
    const answer = answers[q.id];
    if (answer !== undefined && conditionHolds(q.when, kept)) kept[q.id] = answer;
  }
  return kept;
}

export function findQuestion(topic: Topic, questionId: string): Question {
  const question = topic.questions.find((q) => q.id === questionId);
  if (!question) {
    const known = topic.questions.map((q) => q.id).join(', ');
    throw new AnswerError(questionId, `"${questionId}" is not a question of ${topic.title}; the questions are: ${known}.`);
  }
  return question;
}

/** A choice id, a 1-based choice number, or the exact label (any case) → the choice id. */
export function parseAnswer(question: Question, raw: string | number): string {
  const text = String(raw).trim();
  const byId = question.choices.find((c) => c.id === text);
  if (byId) return byId.id;
  if (/^\d+$/.test(text)) {
    const choice = question.choices[Number(text) - 1];
    if (choice) return choice.id;
  }
  const byLabel = question.choices.find((c) => c.label.toLowerCase() === text.toLowerCase());
  if (byLabel) return byLabel.id;
  const options = question.choices.map((c, i) => `${i + 1}) ${c.id}`).join(', ');
  throw new AnswerError(
    question.id,
    `"${text}" is not an answer to "${question.text}". Expected one of: ${options}.`,
  );
}

/**
 * Validates a whole set of answers: every key must be a question, every value a choice, and every
 * question that applies must be answered. Returns the normalised answers (choice ids only).
 */
export function validateAnswers(topic: Topic, raw: Readonly<Record<string, string | number>>): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const [questionId, value] of Object.entries(raw)) {
    parsed[questionId] = parseAnswer(findQuestion(topic, questionId), value);
  }
  const answers = pruneAnswers(topic, parsed);
  const missing = applicableQuestions(topic, answers).filter((q) => answers[q.id] === undefined);
  if (missing.length > 0) {
    const first = missing[0]!;
    const names = missing.map((q) => q.id).join(', ');
    throw new AnswerError(first.id, `Missing answers for: ${names}. For example "${first.text}"`);
  }
  return answers;
}

/**
 * Checks a form of answers question by question (the Slack modal, the Teams card): a message for each
 * bad or missing answer, keyed by question id, or the normalised answers when all is well.
 */
export function checkAnswers(topic: Topic, raw: Readonly<Record<string, string>>): { errors: Record<string, string> } | { answers: Record<string, string> } {
  const errors: Record<string, string> = {};
  const parsed: Record<string, string> = {};
  for (const [qid, value] of Object.entries(raw)) {
    const question = topic.questions.find((q) => q.id === qid);
    if (!question) continue; // an input of another topic's form: not ours to judge
    try {
      parsed[qid] = parseAnswer(question, value);
    } catch (error) {
      errors[qid] = error instanceof AnswerError ? error.message : 'Not a valid choice.';
    }
  }
  const answers = pruneAnswers(topic, parsed);
  for (const q of applicableQuestions(topic, answers)) {
    if (answers[q.id] === undefined && !errors[q.id]) errors[q.id] = 'Please answer this one: it applies given your other answers.';
  }
  return Object.keys(errors).length ? { errors } : { answers };
}
