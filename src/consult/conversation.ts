// The step-by-step questionnaire as a pure state machine, shared by Slack DMs and Teams chats:
// a state plus an input (answer, back, change topic) gives the next state and what to show.
import { AnswerError } from '../errors.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import { getTopic } from './assess.js';
import { applicableQuestions, nextQuestion, parseAnswer, pruneAnswers } from './questionnaire.js';

export interface ConversationState {
  question: string;
  topic: string;
  answers: Record<string, string>;
  /** Question ids in the order they were answered, for "back". */
  history: string[];
}

/** A questionnaire nobody has touched for this many days is dropped by housekeeping; a click on it then says so. */
export const QUESTIONNAIRE_KEPT_DAYS = 30;

export type ConversationInput =
  | { kind: 'answer'; questionId: string; choice: string }
  | { kind: 'back' }
  | { kind: 'topic'; topic: string };

export type ConversationStep =
  | {
      kind: 'question';
      topic: string;
      topicTitle: string;
      step: number;
      /** Questions that apply so far (conditional ones can add to it). */
      total: number;
      question: { id: string; text: string; help?: string; choices: Array<{ id: string; label: string }> };
      canGoBack: boolean;
    }
  | { kind: 'complete'; topic: string; answers: Record<string, string> };

export function startConversation(kb: KnowledgeBase, question: string, topic: string): ConversationState {
  getTopic(kb, topic);
  return { question, topic, answers: {}, history: [] };
}

export function advance(kb: KnowledgeBase, state: ConversationState, input: ConversationInput): ConversationState {
  const topic = getTopic(kb, state.topic);
  switch (input.kind) {
    case 'topic':
      return startConversation(kb, state.question, input.topic);
    case 'back': {
      const history = state.history.slice(0, -1);
      const last = state.history[state.history.length - 1];
      if (last === undefined) return state;
      const { [last]: _removed, ...rest } = state.answers;
      return { ...state, answers: pruneAnswers(topic, rest), history };
    }
    case 'answer': {
      const expected = nextQuestion(topic, state.answers);
      // A stale button (an earlier step's message, a double click) must not skip ahead or rewrite history.
      if (!expected || expected.id !== input.questionId) {
        throw new AnswerError(input.questionId, 'That question has already been answered; use the buttons on the latest step.');
      }
      const choice = parseAnswer(expected, input.choice);
      return { ...state, answers: pruneAnswers(topic, { ...state.answers, [expected.id]: choice }), history: [...state.history, expected.id] };
    }
  }
}

export function currentStep(kb: KnowledgeBase, state: ConversationState): ConversationStep {
  const topic = getTopic(kb, state.topic);
  const q = nextQuestion(topic, state.answers);
  if (!q) return { kind: 'complete', topic: topic.id, answers: state.answers };
  return {
    kind: 'question',
    topic: topic.id,
    topicTitle: topic.title,
    step: state.history.length + 1,
    total: applicableQuestions(topic, state.answers).length,
    question: { id: q.id, text: q.text, ...(q.help ? { help: q.help } : {}), choices: q.choices.map((c) => ({ id: c.id, label: c.label })) },
    canGoBack: state.history.length > 0,
  };
}
