// Block Kit for a verdict's "In this workspace" section and its link back to the message it was asked
// from. Every story is user text: escaped, cut to fit, quoted line by line.
import type { KnownBlock } from '@slack/types';
import type { HistoryView, QuotedStory } from '../../present/history.js';
import type { VerdictView } from '../../present/verdict.js';
import { escapeText, limit, LIMITS } from '../escape.js';

/** Three quotes of this length and the figures stay inside one section's 3,000 characters. */
const QUOTE_CHARS = 700;

/** A link we can put in `<url|text>`: https, and nothing that would end the link early. */
export function safeLink(url: string | null | undefined): string | null {
  return url && /^https:\/\/[^\s<>|]+$/.test(url) ? url : null;
}

function author(s: QuotedStory): string {
  if (s.author) return escapeText(s.author);
  return s.platform === 'slack' && /^[UW][A-Z0-9]+$/.test(s.userId) ? `<@${s.userId}>` : escapeText(s.userId);
}

function quote(s: QuotedStory): string {
  const text = escapeText(limit(s.text, QUOTE_CHARS)).split('\n').map((line) => `>${line}`).join('\n');
  const link = safeLink(s.link);
  return `${text}\n— ${author(s)}, ${s.month} · ${link ? `<${link}|${s.consultationId}>` : `\`${s.consultationId}\``}`;
}

export function renderHistoryBlocks(h: HistoryView): KnownBlock[] {
  const lines = [`*In this workspace*`, `${h.asked} ${h.verdicts} ${h.resolved}`];
  if (h.failureModes.length) lines.push(...h.failureModes.map((f) => `• ${escapeText(f.name)}: ${f.text}`));
  if (h.actuals) lines.push(h.actuals);
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: limit(lines.join('\n'), LIMITS.sectionText) } }];
  if (h.stories.length) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: limit(`*What happened here*\n${h.stories.map(quote).join('\n\n')}`, LIMITS.sectionText) } });
  }
  if (h.privateNote) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: h.privateNote }] });
  return blocks;
}

/** The workspace section and the source link of a verdict; nothing when it has neither. */
export function renderWorkspaceBlocks(view: VerdictView): KnownBlock[] {
  const blocks = view.history ? renderHistoryBlocks(view.history) : [];
  const source = safeLink(view.sourceUrl);
  if (source) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Asked about <${source}|this message>` }] });
  return blocks;
}
