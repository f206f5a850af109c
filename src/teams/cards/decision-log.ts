// The `history` answer as an Adaptive Card: the workspace's past decisions with verdict, outcome, the
// story when it is not private, and a link. User text is markdown-escaped.
import type { DecisionView } from '../../present/decision-log.js';
import { escapeMarkdown as md, limit } from '../text.js';
import { safeLink } from './history.js';
import { card, fitCard, text, type AdaptiveCard, type CardElement } from './types.js';

function decisionItems(d: DecisionView): CardElement {
  const link = safeLink(d.link);
  const items: CardElement[] = [
    text(`**${md(d.verdictLabel)}** · ${md(d.topic)} · ${link ? `[${d.id}](${link})` : d.id} · asked ${d.asked}`, { spacing: 'None' }),
    text(md(limit(d.question.replace(/\s+/g, ' '), 200)), { spacing: 'None' }),
    text(`Outcome: ${md(d.outcome)}`, { isSubtle: true, size: 'Small', spacing: 'None' }),
  ];
  if (d.story) items.push(text(`“${md(limit(d.story.text.replace(/\s+/g, ' '), 300))}” — ${md(d.story.author ?? d.story.userId)}, ${d.story.month}`, { spacing: 'Small' }));
  else if (d.storyPrivate) items.push(text('A note was recorded and kept private.', { isSubtle: true, size: 'Small', spacing: 'None' }));
  return { type: 'Container', separator: true, items };
}

export function renderDecisionCard(decisions: DecisionView[], words: string): AdaptiveCard {
  const what = words ? ` matching “${md(limit(words, 100))}”` : '';
  if (decisions.length === 0) {
    return card([text(`No past decisions here${what}. Ask me an architecture question; once people record what happened, it shows up here.`)], [], 'No past decisions found');
  }
  return fitCard(card(
    [text(`Past decisions here${what}, ${words ? 'best match first' : 'newest first'}`, { weight: 'Bolder', size: 'Medium' }), ...decisions.map(decisionItems)],
    [],
    `${decisions.length} past decisions`,
  ));
}
