// Block Kit for the workspace record and past decisions: user text escaped (no pings, no links of its
// own), links only when they cannot break out of `<url|text>`, and every section within Slack's limits.
import { describe, expect, it } from 'vitest';
import type { DecisionView } from '../../src/present/decision-log.js';
import type { HistoryView } from '../../src/present/history.js';
import { renderDecisionBlocks } from '../../src/slack/blocks/decision-log.js';
import { renderHistoryBlocks, safeLink } from '../../src/slack/blocks/history.js';
import { renderActualsModal } from '../../src/slack/blocks/check-in.js';
import { messageLink } from '../../src/slack/permalink.js';

const story = (overrides: Partial<HistoryView['stories'][number]> = {}): HistoryView['stories'][number] => ({
  consultationId: 'rc-1', text: 'fine', userId: 'U1', author: null, platform: 'slack', month: 'May 2025', link: null, ...overrides,
});
const history = (overrides: Partial<HistoryView> = {}): HistoryView => ({
  asked: '3 earlier consultations on Kubernetes here, by 2 people, Mar 2025 – May 2025.',
  verdicts: 'Verdicts: 3 Not yet.',
  resolved: '2 resolved.',
  failureModes: [{ id: 'a', name: 'Networking <!here>', text: 'happened in 2 of 2 reported' }],
  actuals: null,
  stories: [story()],
  privateNote: null,
  ...overrides,
});
/** The mrkdwn of each block: a section's text, a context's elements. */
const texts = (blocks: ReturnType<typeof renderHistoryBlocks>): string[] =>
  blocks.flatMap((b) => {
    const block = b as { text?: { text: string }; elements?: Array<{ text?: unknown }> };
    return block.text ? [block.text.text] : (block.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : ''));
  });

describe('renderHistoryBlocks', () => {
  it('escapes stories, names and authors, and quotes each line', () => {
    const all = texts(renderHistoryBlocks(history({ stories: [story({ text: 'Ping <!channel> & <@U999>\nline two', author: '<!here> Ann' })] }))).join('\n');
    expect(all).toContain('>Ping &lt;!channel&gt; &amp; &lt;@U999&gt;\n>line two');
    expect(all).toContain('— &lt;!here&gt; Ann, May 2025 · `rc-1`');
    expect(all).toContain('• Networking &lt;!here&gt;: happened in 2 of 2 reported');
    expect(all).not.toMatch(/<!(here|channel)>/);
  });

  it('names the author, else mentions a Slack user id, else prints the id', () => {
    expect(texts(renderHistoryBlocks(history({ stories: [story({ userId: 'U0ABC' })] }))).join()).toContain('— <@U0ABC>, May 2025');
    expect(texts(renderHistoryBlocks(history({ stories: [story({ userId: 'cli:operator', platform: 'cli' })] }))).join()).toContain('— cli:operator, May 2025');
    expect(texts(renderHistoryBlocks(history({ stories: [story({ userId: '29:x', platform: 'teams', author: 'Ada' })] }))).join()).toContain('— Ada, May 2025');
  });

  it('links to the consultation only with a safe https link', () => {
    expect(texts(renderHistoryBlocks(history({ stories: [story({ link: 'https://fake.slack.com/archives/C1/p1' })] }))).join()).toContain('<https://fake.slack.com/archives/C1/p1|rc-1>');
    for (const link of ['https://x|<!channel>', 'http://plain', 'javascript:alert(1)', 'https://a b']) {
      expect(safeLink(link), link).toBeNull();
      expect(texts(renderHistoryBlocks(history({ stories: [story({ link })] }))).join()).toContain('`rc-1`');
    }
  });

  it('three stories of 1,000 characters fit a section; the private note is a context line', () => {
    const long = 'x'.repeat(1000);
    const blocks = renderHistoryBlocks(history({ stories: [story({ text: long }), story({ text: long }), story({ text: long })], privateNote: '1 more note was kept private (counted above, not quoted).' }));
    for (const t of texts(blocks)) expect(t.length).toBeLessThanOrEqual(3000);
    expect(texts(blocks).join()).toContain('…');
    expect(blocks.at(-1)).toMatchObject({ type: 'context' });
  });
});

describe('renderDecisionBlocks', () => {
  const decision: DecisionView = {
    id: 'rc-1', question: 'Kubernetes <!here>?', topic: 'Kubernetes', verdictLabel: 'Not yet', asked: '2025-03-03', askedBy: 'U1', platform: 'slack',
    outcome: 'not adopted', predicted: 3, resolved: 0, happened: [], story: null, storyPrivate: true, link: null,
  };
  it('escapes the search words and the question; says when nothing matched', () => {
    const all = texts(renderDecisionBlocks([decision], '<!channel> k8s')).join('\n');
    expect(all).toContain('matching “&lt;!channel&gt; k8s”');
    expect(all).toContain('Kubernetes &lt;!here&gt;?');
    expect(all).toContain('_A note was recorded and kept private._');
    expect(texts(renderDecisionBlocks([], 'x')).join()).toContain('No past decisions in this workspace matching “x”');
  });
});

describe('the check-in modal', () => {
  it('prefills a note and its privacy', () => {
    const view = renderActualsModal('rc-1', { text: 'it <went> fine', private: true });
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"it <went> fine"');
    expect(JSON.stringify(view.blocks)).toContain('"initial_options"');
    expect(JSON.stringify(renderActualsModal('rc-1').blocks)).not.toContain('initial_');
  });
});

describe('messageLink', () => {
  it.each([
    [{ domain: 'acme', channel: 'C1', ts: '1700000000.000100' }, 'https://acme.slack.com/archives/C1/p1700000000000100'],
    [{ domain: 'acme', channel: 'C1', ts: '1700000001.000100', threadTs: '1700000000.000100' }, 'https://acme.slack.com/archives/C1/p1700000001000100?thread_ts=1700000000.000100&cid=C1'],
    [{ domain: 'acme', channel: 'C1', ts: '1700000000.000100', threadTs: '1700000000.000100' }, 'https://acme.slack.com/archives/C1/p1700000000000100'],
    [{ channel: 'C1', ts: '1.2' }, 'https://slack.com/archives/C1/p12'],
    [{ domain: 'evil.com/x?', channel: 'C1', ts: '1.2' }, 'https://slack.com/archives/C1/p12'],
  ])('%j → %s', (where, url) => {
    expect(messageLink(where)).toBe(url);
  });
});
