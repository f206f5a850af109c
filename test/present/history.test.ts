// The words of the workspace record and of a past decision, the same on every surface; and the ADR's
// "In this workspace" section, with story text escaped so it cannot become markdown, HTML or links.
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../src/paths.js';
import { renderAdr } from '../../src/present/adr.js';
import { buildDecisionView } from '../../src/present/decision-log.js';
import { buildHistoryView, formatMonth } from '../../src/present/history.js';
import type { VerdictView } from '../../src/present/verdict.js';
import type { WorkspaceHistory } from '../../src/service/workspace-history.js';
import type { Decision } from '../../src/store/index.js';

const MAR = Date.UTC(2025, 2, 3);
const MAY = Date.UTC(2025, 4, 20);
const kb = loadKnowledge(KNOWLEDGE_DIR);

function history(overrides: Partial<WorkspaceHistory> = {}): WorkspaceHistory {
  return {
    consultations: 3, truncated: false, askers: 2, firstAt: MAR, lastAt: MAY,
    verdicts: { 'not-yet': 1, 'adopt-with-guardrails': 2 }, resolved: 2, notAdopted: 1,
    failureModes: [{ id: 'a', happened: 2, resolved: 2 }, { id: 'b', happened: 0, resolved: 0 }],
    costRatio: 1.42, costReports: 2, timeRatio: 1.8, timeReports: 1,
    stories: [{ consultationId: 'rc-1', text: 'Networking bit us.', recordedAt: MAY, recordedBy: 'U1', author: 'Ann', platform: 'slack', link: 'https://fake.slack.com/archives/C1/p1' }],
    privateStories: 1,
    ...overrides,
  };
}
const names = new Map([['a', 'Networking incidents'], ['b', 'Cost overrun']]);

describe('buildHistoryView', () => {
  it('says who asked and when, the verdicts, the resolved, k of n, the actual ratios, the stories and the private notes', () => {
    expect(buildHistoryView(history(), { topicTitle: 'Kubernetes', failureModeNames: names })).toStrictEqual({
      asked: '3 earlier consultations on Kubernetes here, by 2 people, Mar 2025 – May 2025.',
      verdicts: 'Verdicts: 2 Adopt with guardrails, 1 Not yet.',
      resolved: '2 resolved; 1 did not adopt it.',
      failureModes: [{ id: 'a', name: 'Networking incidents', text: 'happened in 2 of 2 reported' }],
      actuals: 'Actual cost 1.4× the predicted median (2 reports); time to production 1.8× the predicted months (1 report).',
      stories: [{ consultationId: 'rc-1', text: 'Networking bit us.', userId: 'U1', author: 'Ann', platform: 'slack', month: 'May 2025', link: 'https://fake.slack.com/archives/C1/p1' }],
      privateNote: '1 more note was kept private (counted above, not quoted).',
    });
  });

  it.each([
    [{ consultations: 1, askers: 1, lastAt: MAR, verdicts: { adopt: 1 }, resolved: 0, notAdopted: 0 }, '1 earlier consultation on Kubernetes here, by 1 person, Mar 2025.', 'None resolved yet.'],
    [{ consultations: 50, truncated: true }, 'The latest 50 earlier consultations on Kubernetes here, by 2 people, Mar 2025 – May 2025.', '2 resolved; 1 did not adopt it.'],
  ])('counts in words: %j', (overrides, asked, resolved) => {
    const v = buildHistoryView(history(overrides), { topicTitle: 'Kubernetes', failureModeNames: names });
    expect(v.asked).toBe(asked);
    expect(v.resolved).toBe(resolved);
  });

  it('leaves out what it has no data for', () => {
    const v = buildHistoryView(history({ costRatio: null, costReports: 0, timeRatio: null, timeReports: 0, stories: [], privateStories: 2 }), { topicTitle: 'K', failureModeNames: names });
    expect(v.actuals).toBeNull();
    expect(v.privateNote).toBe('2 notes were kept private (counted above, not quoted).');
    expect(buildHistoryView(history({ privateStories: 0 }), { topicTitle: 'K', failureModeNames: names }).privateNote).toBeNull();
    expect(buildHistoryView(history({ costRatio: 12.4 }), { topicTitle: 'K', failureModeNames: names }).actuals).toMatch(/^Actual cost 12× /);
  });

  it('formatMonth is the UTC month', () => {
    expect(formatMonth(Date.UTC(2025, 0, 31, 23, 59))).toBe('Jan 2025');
    expect(formatMonth(Date.UTC(2025, 11, 1))).toBe('Dec 2025');
  });
});

describe('buildDecisionView', () => {
  const base: Decision = {
    id: 'rc-1', platform: 'slack', userId: 'U1', question: 'Kubernetes?', topic: 'kubernetes', verdict: 'adopt-with-guardrails', createdAt: MAR, checkInAt: MAY, notAdopted: false,
    story: null, link: null,
    failureModes: [{ id: 'learning-curve-stall', happened: true }, { id: 'local-dev-slowdown', happened: false }, { id: 'rbac-security-gap', happened: null }],
    estimates: [{ kind: 'cost', p50: 100_000, actual: 250_000 }, { kind: 'time', p50: 6, actual: null }],
  };

  it('words the outcome: answered k of n, what happened, the actuals', () => {
    const v = buildDecisionView(base, kb);
    expect(v).toMatchObject({ verdictLabel: 'Adopt with guardrails', topic: 'Kubernetes and container orchestration', asked: '2025-03-03', resolved: 2, predicted: 3 });
    expect(v.outcome).toBe('2 of 3 failure modes answered; happened: Six to twelve months before the team is productive · cost $250K (predicted $100K)');
  });

  it.each([
    [{ notAdopted: true }, 'not adopted'],
    [{ failureModes: [{ id: 'x', happened: null }], estimates: [] }, 'open — none of 1 failure modes answered yet'],
    [{ failureModes: [{ id: 'x', happened: false }], estimates: [] }, '1 of 1 failure modes answered; none happened'],
  ] as const)('%j → %s', (overrides, outcome) => {
    expect(buildDecisionView({ ...base, ...overrides } as Decision, kb).outcome).toBe(outcome);
  });

  it('shows a story only when it is not private', () => {
    expect(buildDecisionView({ ...base, story: { text: 'It went fine', private: false, recordedBy: 'U1', author: null, recordedAt: MAY } }, kb).story).toStrictEqual({ text: 'It went fine', author: null, userId: 'U1', month: 'May 2025' });
    const hidden = buildDecisionView({ ...base, story: { text: null, private: true, recordedBy: 'U1', author: null, recordedAt: MAY } }, kb);
    expect(hidden.story).toBeNull();
    expect(hidden.storyPrivate).toBe(true);
  });
});

describe('renderAdr: In this workspace', () => {
  const view = {
    consultationId: 'rc-9', question: 'Kubernetes?', topic: 'kubernetes', title: 'Kubernetes', claim: 'It scales.', verdict: 'not-yet', verdictLabel: 'Not yet',
    headline: 'Not yet.', riskText: '60% risk', failureModes: [], cost: { p10: '$1', p50: '$2', p90: '$3', basis: 'b', line: '$2' }, time: { p10: '1', p50: '2', p90: '3', line: '2 months' },
    alternatives: [], tippingPoints: [], cliffs: [], orgLimits: [], checkIn: '2025-06-01', knowledgeVersion: 'abc',
  } satisfies VerdictView;

  it('has no section without history, and one with the figures and escaped quotes with links when there is one', () => {
    expect(renderAdr(view, { date: '2025-03-03', askedBy: 'U1' })).not.toContain('In this workspace');
    const h = buildHistoryView(history({ stories: [{ ...history().stories[0]!, text: 'Two <img src=x onerror=alert(1)> outages, **big** [ones](http://x).\nSecond line' }] }), { topicTitle: 'Kubernetes', failureModeNames: names });
    const adr = renderAdr({ ...view, history: h, sourceUrl: 'https://fake.slack.com/archives/C1/p2' }, { date: '2025-03-03', askedBy: 'U1' });
    expect(adr).toContain('It was asked about [this message](<https://fake.slack.com/archives/C1/p2>).');
    expect(adr).toContain('### In this workspace\n\n3 earlier consultations on Kubernetes here');
    expect(adr).toContain('* Networking incidents: happened in 2 of 2 reported');
    expect(adr).toContain('> Two \\<img src=x onerror=alert\\(1\\)\\> outages, \\*\\*big\\*\\* \\[ones\\]\\(http://x\\).\n> Second line\n>\n> — Ann, May 2025 ([rc-1](<https://fake.slack.com/archives/C1/p1>))');
    expect(adr).not.toMatch(/(^|[^\\])<img/);
    // A link that would break out of the markdown is left out, the id stays.
    const odd = buildHistoryView(history({ stories: [{ ...history().stories[0]!, link: 'https://x/a b>c' }] }), { topicTitle: 'K', failureModeNames: names });
    expect(renderAdr({ ...view, history: odd }, { date: '2025-03-03', askedBy: 'U1' })).toContain('— Ann, May 2025 (rc-1)');
  });
});
