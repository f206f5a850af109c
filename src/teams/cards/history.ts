// Adaptive Card elements for a verdict's "In this workspace" section and its link back to the message
// it was asked from. Stories are user text: markdown-escaped and cut to fit.
import type { HistoryView, QuotedStory } from '../../present/history.js';
import type { VerdictView } from '../../present/verdict.js';
import { escapeMarkdown as md, limit } from '../text.js';
import { text, type CardElement } from './types.js';

/** A link we can put in `[text](url)`: https, and nothing that would end the link early. */
export function safeLink(url: string | null | undefined): string | null {
  return url && /^https:\/\/[^\s()<>[\]]+$/.test(url) ? url : null;
}

function quote(s: QuotedStory): CardElement {
  const link = safeLink(s.link);
  const who = md(s.author ?? s.userId);
  return {
    type: 'Container',
    spacing: 'Small',
    items: [
      text(`“${md(limit(s.text.replace(/\s+/g, ' '), 700))}”`, { spacing: 'None' }),
      text(`— ${who}, ${s.month} · ${link ? `[${s.consultationId}](${link})` : s.consultationId}`, { isSubtle: true, size: 'Small', spacing: 'None' }),
    ],
  };
}

export function renderHistoryElements(h: HistoryView): CardElement[] {
  const items: CardElement[] = [
    text('In this workspace', { weight: 'Bolder', separator: true }),
    text(`${md(h.asked)} ${md(h.verdicts)} ${md(h.resolved)}`),
  ];
  if (h.failureModes.length) items.push(text(h.failureModes.map((f) => `- ${md(f.name)}: ${f.text}`).join('\n'), { spacing: 'Small' }));
  if (h.actuals) items.push(text(md(h.actuals), { spacing: 'Small' }));
  items.push(...h.stories.map(quote));
  if (h.privateNote) items.push(text(md(h.privateNote), { isSubtle: true, size: 'Small' }));
  return items;
}

/** The workspace section and the source link of a verdict card; nothing when it has neither. */
export function renderWorkspaceElements(view: VerdictView): CardElement[] {
  const items = view.history ? renderHistoryElements(view.history) : [];
  const source = safeLink(view.sourceUrl);
  if (source) items.push(text(`Asked about [this message](${source})`, { isSubtle: true, size: 'Small' }));
  return items;
}
