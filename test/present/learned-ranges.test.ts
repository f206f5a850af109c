// A learned cost/time range in words: the view model's note for each kind of adjustment, and every
// surface (Slack blocks, Teams card, terminal, ADR) showing it under the range, and nothing without one.
import { describe, expect, it } from 'vitest';
import { renderVerdictText } from '../../src/cli/render.js';
import { assess, type RangeAdjuster } from '../../src/consult/assess.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { renderAdr } from '../../src/present/adr.js';
import { buildVerdictView, learnedRangeNote } from '../../src/present/verdict.js';
import { renderVerdictBlocks } from '../../src/slack/blocks/verdict.js';
import { renderVerdictCard } from '../../src/teams/cards/verdict.js';

const kb = loadKnowledge(KNOWLEDGE_DIR);
const ANSWERS = { hosting: 'managed', 'service-count': '6-30', stateful: 'none', 'team-size': '10-50', 'platform-team': 'dedicated', 'k8s-experience': 'deep', oncall: 'established' };
const META = { consultationId: 'rc-test0001', question: 'should we use kubernetes?', checkInAt: Date.UTC(2025, 5, 1) };

function scaled(factor: number, spread: number, outcomes: number): RangeAdjuster {
  return (_topic, _kind, q) => {
    const p50 = q.p50 * factor;
    return { p10: p50 * (q.p10 / q.p50) ** spread, p50, p90: p50 * (q.p90 / q.p50) ** spread, factor, spread, outcomes };
  };
}

const model = { p10: 3, p50: 6, p90: 14 };

describe('learnedRangeNote', () => {
  it.each([
    ['time', { factor: 1.8, spread: 1, outcomes: 7 }, 'adjusted: projects here took 1.8× the predicted months, 7 outcomes (knowledge base: 6 months likely, 3–14)'],
    ['time', { factor: 1.83, spread: 1.4, outcomes: 12 }, 'adjusted: projects here took 1.8× the predicted months, range widened ×1.4, 12 outcomes (knowledge base: 6 months likely, 3–14)'],
    ['time', { factor: 0.62, spread: 0.55, outcomes: 1 }, 'adjusted: projects here took 0.62× the predicted months, range narrowed ×0.55, 1 outcome (knowledge base: 6 months likely, 3–14)'],
    ['time', { factor: 1.01, spread: 1.6, outcomes: 30 }, 'adjusted: range widened ×1.6, 30 outcomes (knowledge base: 6 months likely, 3–14)'],
    ['time', { factor: 1.03, spread: 1.02, outcomes: 9 }, 'adjusted: nudged by what happened here, 9 outcomes (knowledge base: 6 months likely, 3–14)'],
  ] as const)('%s %j', (kind, learned, text) => {
    expect(learnedRangeNote(kind, { model, learned })).toBe(text);
  });

  it('speaks of the amount for cost, with the knowledge base figures in money', () => {
    expect(learnedRangeNote('cost', { model: { p10: 566_000, p50: 1_290_000, p90: 2_950_000 }, learned: { factor: 2.5, spread: 1, outcomes: 8 } })).toBe(
      'adjusted: projects here cost 2.5× the predicted amount, 8 outcomes (knowledge base: $1.3M likely, $566K–$3M)',
    );
  });

  it('says nothing when nothing was learned', () => {
    expect(learnedRangeNote('time', { model })).toBeUndefined();
  });
});

describe('surfaces show the learned ranges', () => {
  const learned = assess(kb, 'kubernetes', ANSWERS, { adjustRange: scaled(1.8, 1, 7) });
  const plain = assess(kb, 'kubernetes', ANSWERS);
  const view = buildVerdictView(learned, META);
  const plainView = buildVerdictView(plain, META);

  it('the view model carries both notes and the learned figures', () => {
    expect(view.time.note).toMatch(/^adjusted: projects here took 1\.8× the predicted months, 7 outcomes \(knowledge base: /);
    expect(view.cost.note).toMatch(/^adjusted: projects here cost 1\.8× the predicted amount, 7 outcomes/);
    expect(view.time.line).not.toBe(plainView.time.line);
    expect(plainView.time.note).toBeUndefined();
    expect(plainView.cost.note).toBeUndefined();
    expect('note' in plainView.cost).toBe(false);
  });

  it('Slack, Teams, the terminal and the ADR show each note; without learning none do', () => {
    const rendered = [
      JSON.stringify(renderVerdictBlocks(view)),
      JSON.stringify(renderVerdictCard(view)),
      renderVerdictText(view),
      renderAdr(view, { date: '2025-03-01', askedBy: 'U1' }),
    ];
    for (const out of rendered) {
      expect(out).toContain('projects here took 1.8× the predicted months');
      expect(out).toContain('projects here cost 1.8× the predicted amount');
    }
    const unlearned = [JSON.stringify(renderVerdictBlocks(plainView)), JSON.stringify(renderVerdictCard(plainView)), renderVerdictText(plainView), renderAdr(plainView, { date: '2025-03-01', askedBy: 'U1' })];
    for (const out of unlearned) expect(out).not.toContain('adjusted:');
  });

  it('an assessment stored before ranges were learned (no model, no learned) still renders', () => {
    const { model: _cost, ...oldCost } = plain.cost;
    const { model: _time, ...oldTime } = plain.time;
    const old = { ...plain, cost: oldCost, time: oldTime } as unknown as typeof plain;
    const v = buildVerdictView(old, META);
    expect(v.time.line).toBe(plainView.time.line);
    expect(v.time.note).toBeUndefined();
  });
});
