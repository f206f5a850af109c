// Block Kit for past decisions (`/reality-check history` results, App Home's decision log): verdict,
// outcome, the story when it is not private, and a link to the consultation. All user text escaped.
import type { KnownBlock } from '@slack/types';
import type { DecisionView } from '../../present/decision-log.js';
import { escapeText, limit, LIMITS } from '../escape.js';
import { safeLink } from './history.js';

const isSlackUser = (id: string): boolean => /^[UW][A-Z0-9]+$/.test(id);

/** The lines of one decision; `extra` goes under the question (App Home's check-in line). */
export function decisionText(d: DecisionView, extra = ''): string {
  const link = safeLink(d.link);
  const id = link ? `<${link}|${d.id}>` : `\`${d.id}\``;
  const who = d.platform === 'slack' && isSlackUser(d.askedBy) ? ` by <@${d.askedBy}>` : '';
  const lines = [`*${escapeText(d.verdictLabel)}* · ${escapeText(d.topic)} · ${id} · asked ${d.asked}${who}`, escapeText(limit(d.question.replace(/\s+/g, ' '), 200))];
  if (extra) lines.push(extra);
  lines.push(`_Outcome:_ ${escapeText(d.outcome)}`);
  if (d.story) {
    const author = d.story.author ? escapeText(d.story.author) : isSlackUser(d.story.userId) ? `<@${d.story.userId}>` : escapeText(d.story.userId);
    lines.push(`>${escapeText(limit(d.story.text.replace(/\s+/g, ' '), 300))}`, `— ${author}, ${d.story.month}`);
  } else if (d.storyPrivate) {
    lines.push('_A note was recorded and kept private._');
  }
  return limit(lines.join('\n'), LIMITS.sectionText);
}

export function renderDecisionBlocks(decisions: DecisionView[], words: string): KnownBlock[] {
  const what = words ? ` matching “${escapeText(limit(words, 100))}”` : '';
  if (decisions.length === 0) {
    return [{ type: 'section', text: { type: 'mrkdwn', text: `No past decisions in this workspace${what}. Ask with \`/reality-check <question>\`; once people record what happened, it shows up here.` } }];
  }
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*Past decisions in this workspace*${what}${words ? ', best match first' : ', newest first'}:` } }];
  for (const d of decisions) blocks.push({ type: 'divider' }, { type: 'section', text: { type: 'mrkdwn', text: decisionText(d) } });
  return blocks.slice(0, LIMITS.messageBlocks);
}
