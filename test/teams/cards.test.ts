// The pure Adaptive Card builders: schema 1.5, under Teams' 28 KB for every topic even with the
// longest question and every error shown, user text escaped, and the same content as the view model.
import { describe, expect, it } from 'vitest';
import { assess } from '../../src/consult/assess.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import type { CheckInView } from '../../src/present/check-in.js';
import { buildVerdictView } from '../../src/present/verdict.js';
import { MAX_QUESTION_LENGTH } from '../../src/service/consult-service.js';
import { renderCheckInCard } from '../../src/teams/cards/check-in.js';
import { renderHelpCard } from '../../src/teams/cards/help.js';
import { renderQuestionnaireCard } from '../../src/teams/cards/questionnaire.js';
import { card, cardBytes, fitCard, MAX_CARD_BYTES, text, type AdaptiveCard } from '../../src/teams/cards/types.js';
import { renderExplainCard, renderVerdictCard } from '../../src/teams/cards/verdict.js';
import { checkAnswers } from '../../src/consult/questionnaire.js';
import { escapeMarkdown, stripAtTags } from '../../src/teams/text.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);
const topics = [...kb.topics.values()];
/** The longest question allowed, made of characters that escaping doubles. */
const WORST_QUESTION = '*_[]()'.repeat(MAX_QUESTION_LENGTH / 6).slice(0, MAX_QUESTION_LENGTH);

function expectValidCard(c: AdaptiveCard): void {
  expect(c.type).toBe('AdaptiveCard');
  expect(c.version).toBe('1.5');
  expect(cardBytes(c)).toBeLessThan(MAX_CARD_BYTES);
  expect(JSON.parse(JSON.stringify(c))).toEqual(c);
}

/** Answers picking the first (or last) choice of every question, conditions permitting. */
function answersFor(topicId: string, pick: 'first' | 'last'): Record<string, string> {
  const topic = kb.topics.get(topicId)!;
  const raw = Object.fromEntries(topic.questions.map((q) => [q.id, (pick === 'first' ? q.choices[0] : q.choices[q.choices.length - 1])!.id]));
  const checked = checkAnswers(topic, raw);
  if (!('answers' in checked)) throw new Error(`no valid ${pick} answers for ${topicId}`);
  return checked.answers;
}

describe('questionnaire card', () => {
  it.each(topics.map((t) => [t.id]))('%s: one choice set per question, under 28 KB with the longest question and every error', (topicId) => {
    const topic = kb.topics.get(topicId)!;
    const errors = Object.fromEntries(topic.questions.map((q) => [q.id, `"${'x'.repeat(150)}" is not an answer to "${q.text}". Expected one of: ${q.choices.map((c) => c.id).join(', ')}.`]));
    const c = renderQuestionnaireCard(kb, { question: WORST_QUESTION, topic: topicId, confidence: 0.8, errors });
    expectValidCard(c);
    const ids = JSON.stringify(c.body).match(/"id":"q:[a-z0-9-]+"/g) ?? [];
    expect(ids).toHaveLength(topic.questions.length);
    // Nothing was cut: every question and its error is still there.
    expect(JSON.stringify(c)).not.toContain('Shortened to fit');
    expect(c.actions?.map((a) => a.data)).toEqual([
      { rc: 'consult.submit', cardTopic: topicId, question: WORST_QUESTION },
      { rc: 'consult.switch', cardTopic: topicId, question: WORST_QUESTION },
    ]);
  });
});

describe('verdict and explanation cards', () => {
  it.each(topics.flatMap((t) => [[t.id, 'first'], [t.id, 'last']] as const))('%s (%s choices): under 28 KB, rendered from the VerdictView', (topicId, pick) => {
    const view = buildVerdictView(assess(kb, topicId, answersFor(topicId, pick)), { consultationId: 'rc-abcdefgh', question: WORST_QUESTION, checkInAt: Date.UTC(2025, 5, 1) });
    const verdict = renderVerdictCard(view, { askedBy: 'Ada *Lovelace*' });
    expectValidCard(verdict);
    const json = JSON.stringify(verdict);
    expect(json).toContain(JSON.stringify(view.cost.line).slice(1, -1));
    expect(json).toContain(view.failureModes[0]!.probabilityText);
    expect(json).toContain('asked by Ada \\\\*Lovelace\\\\*');
    expect(verdict.actions?.map((a) => [a.title, a.data])).toEqual([
      ['Explain', { rc: 'verdict.explain', id: 'rc-abcdefgh' }],
      ['Export ADR', { rc: 'verdict.adr', id: 'rc-abcdefgh' }],
    ]);
    const explain = renderExplainCard(view);
    expectValidCard(explain);
    expect(`${json}${JSON.stringify(explain)}`).not.toContain('Shortened to fit');
    for (const f of view.failureModes) expect(JSON.stringify(explain)).toContain(escapeMarkdown(f.name));
  });

  it('with the workspace record and three of the longest stories, still whole and under 28 KB', () => {
    const view = buildVerdictView(assess(kb, 'kubernetes', answersFor('kubernetes', 'first')), { consultationId: 'rc-abcdefgh', question: WORST_QUESTION, checkInAt: Date.UTC(2025, 5, 1) });
    const worst = '*_[]()'.repeat(167).slice(0, 1000);
    const story = (i: number) => ({ consultationId: `rc-${i}`, text: worst, userId: '29:x', author: 'Ada *Lovelace*', platform: 'teams' as const, month: 'May 2025', link: `https://teams.microsoft.com/l/message/${i}` });
    view.history = {
      asked: '50 earlier consultations', verdicts: 'Verdicts: 50 Not yet.', resolved: '50 resolved.',
      failureModes: view.failureModes.map((f) => ({ id: f.id, name: f.name, text: 'happened in 49 of 50 reported' })),
      actuals: 'Actual cost 1.4× the predicted median (50 reports).', stories: [story(1), story(2), story(3)], privateNote: '9 more notes were kept private (counted above, not quoted).',
    };
    view.sourceUrl = 'https://teams.microsoft.com/l/message/source';
    const verdict = renderVerdictCard(view);
    expectValidCard(verdict);
    const json = JSON.stringify(verdict);
    expect(json).not.toContain('Shortened to fit');
    expect(json).toContain('In this workspace');
    expect(json).toContain('— Ada \\\\*Lovelace\\\\*, May 2025 · [rc-3](https://teams.microsoft.com/l/message/3)');
    expect(json).toContain('Asked about [this message](https://teams.microsoft.com/l/message/source)');
  });
});

describe('check-in and help cards', () => {
  const view: CheckInView = {
    consultationId: 'rc-abcdefgh',
    question: WORST_QUESTION,
    title: 'Kubernetes',
    askedOn: '2025-03-03',
    reminder: false,
    failureModes: Array.from({ length: 12 }, (_, i) => ({ id: `fm-${i}`, name: 'n'.repeat(80), probabilityText: '45%', sign: 's'.repeat(250), answer: i % 2 ? 'happened' : null })),
    costLine: '$100K–$900K (likely $300K)',
    timeLine: '3–12 months (likely 6)',
    notAdopted: false,
    story: { text: '*_[]()'.repeat(167).slice(0, 1000), private: false, recordedBy: 'aad-ada' },
    alternative: 'A managed platform (Cloud Run, ECS Fargate or App Runner) with one deploy pipeline per service',
    followedAlternative: null,
  };

  it('lists every failure mode with happened / didn’t / too early, cost, months and "we didn’t adopt it"', () => {
    const errors = Object.fromEntries([...view.failureModes.map((f) => [f.id, 'Pick one.']), ['cost', 'Enter a number.'], ['months', 'Enter a number.']]);
    const c = renderCheckInCard(view, { errors });
    expectValidCard(c);
    const json = JSON.stringify(c);
    expect(json).not.toContain('Shortened to fit');
    for (const f of view.failureModes) expect(json).toContain(`"id":"fm:${f.id}"`);
    expect(json).toContain('"value":"happened"');
    expect(json).toContain('"id":"notAdopted"');
    // The longest note, all escapable characters, is back in its box; an emptied box would take it back.
    expect(json).toContain('"id":"story"');
    expect(json).toContain('"maxLength":1000');
    expect(c.actions?.[0]?.data).toEqual({ rc: 'checkin.submit', id: 'rc-abcdefgh', storyShown: true });
  });

  it('puts a private note back only for its author', () => {
    const privateNote = { ...view, story: { text: 'our secret weekend', private: true, recordedBy: 'aad-ada' } };
    const mine = renderCheckInCard(privateNote, { viewer: 'aad-ada' });
    expect(JSON.stringify(mine)).toContain('our secret weekend');
    expect(mine.body.find((e) => e.type === 'Input.Toggle' && e.id === 'storyPrivate')).toMatchObject({ value: 'true' });
    const theirs = renderCheckInCard(privateNote, { viewer: 'aad-bob' });
    expect(JSON.stringify(theirs)).not.toContain('secret');
    expect(theirs.actions?.[0]?.data).toEqual({ rc: 'checkin.submit', id: 'rc-abcdefgh' });
  });

  it('shows no inputs once the decision was not adopted', () => {
    const c = renderCheckInCard({ ...view, notAdopted: true });
    expect(JSON.stringify(c)).not.toContain('Input.');
    expect(c.actions).toBeUndefined();
  });

  it('offers one button per topic', () => {
    const c = renderHelpCard(kb, { inChannel: true });
    expectValidCard(c);
    const set = c.body.find((e) => e.type === 'ActionSet');
    expect(set && set.type === 'ActionSet' ? set.actions.map((a) => a.data.topic) : []).toEqual(topics.map((t) => t.id));
  });
});

describe('text care', () => {
  it.each([
    ['**bold** _it_', '\\*\\*bold\\*\\* \\_it\\_'],
    ['[x](https://evil.example)', '\\[x\\]\\(https://evil.example\\)'],
    ['- item\n1. first\n# heading', '\\- item\n1\\. first\n\\# heading'],
    ['<at>Everyone</at>', '\\<at\\>Everyone\\</at\\>'],
    ['plain text, 3.5 nines', 'plain text, 3.5 nines'],
  ])('escapes %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('strips the remaining mention tags and entities', () => {
    expect(stripAtTags(' <at>Bob</at>&nbsp;should   we use kafka? ')).toBe('Bob should we use kafka?');
  });

  it('fitCard shortens a card over the limit from the end and says so', () => {
    const big = card(Array.from({ length: 100 }, (_, i) => text(`${i} ${'y'.repeat(1000)}`)));
    const fitted = fitCard(big);
    expect(cardBytes(fitted)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(fitted.body[0]).toEqual(big.body[0]);
    expect(fitted.body.at(-1)).toMatchObject({ text: '(Shortened to fit in a Teams message.)' });
    expect(fitted.body.length).toBeLessThan(big.body.length);
  });
});
