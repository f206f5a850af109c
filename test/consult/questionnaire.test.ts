import { describe, expect, it } from 'vitest';
import { isComplete, nextQuestion, parseAnswer, pruneAnswers, validateAnswers } from '../../src/consult/questionnaire.js';
import { AnswerError } from '../../src/errors.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);
const k8s = kb.topics.get('kubernetes')!;
const question = (id: string) => k8s.questions.find((q) => q.id === id)!;

const SMALL_TEAM = {
  'team-size': 'under-10', 'platform-team': 'none', 'k8s-experience': 'none', hosting: 'managed',
  'service-count': '1-5', stateful: 'none', oncall: 'informal',
};

describe('questionnaire', () => {
  it('asks the first question first and nothing once complete', () => {
    expect(nextQuestion(k8s, {})?.id).toBe('team-size');
    expect(nextQuestion(k8s, SMALL_TEAM)).toBeUndefined();
    expect(isComplete(k8s, SMALL_TEAM)).toBe(true);
  });

  it('asks a conditional question only when its condition holds', () => {
    const large = { ...SMALL_TEAM, 'team-size': 'over-200' };
    expect(nextQuestion(k8s, large)?.id).toBe('shared-clusters');
    expect(isComplete(k8s, large)).toBe(false);
  });

  it('drops answers whose condition no longer holds', () => {
    const answers = { ...SMALL_TEAM, 'team-size': 'over-200', 'shared-clusters': 'yes' };
    expect(pruneAnswers(k8s, { ...answers, 'team-size': 'under-10' })).not.toHaveProperty('shared-clusters');
    expect(pruneAnswers(k8s, answers)).toHaveProperty('shared-clusters', 'yes');
  });

  it.each([
    ['dedicated', 'dedicated'],
    ['3', 'dedicated'],
    [3, 'dedicated'],
    ['  1 ', 'none'],
    ['A dedicated team of three or more', 'dedicated'],
  ])('parses %j as %s', (raw, expected) => {
    expect(parseAnswer(question('platform-team'), raw)).toBe(expected);
  });

  it.each([['4'], ['0'], ['yes'], ['']])('refuses %j with the question and the choices named', (raw) => {
    expect(() => parseAnswer(question('platform-team'), raw)).toThrow(AnswerError);
    expect(() => parseAnswer(question('platform-team'), raw)).toThrow(/platform or infrastructure team.*1\) none, 2\) part-time, 3\) dedicated/);
  });

  it('validates a whole answer set and names missing and unknown questions', () => {
    expect(validateAnswers(k8s, SMALL_TEAM)).toEqual(SMALL_TEAM);
    const { oncall: _omit, ...missing } = SMALL_TEAM;
    expect(() => validateAnswers(k8s, missing)).toThrow(/Missing answers for: oncall/);
    expect(() => validateAnswers(k8s, { ...SMALL_TEAM, colour: 'blue' })).toThrow(/"colour" is not a question/);
  });
});
