// The weekly digest card; the chart travels next to it as an inline image attachment, and the
// card's fallback text carries every line for clients that cannot show cards.
import type { DigestView } from '../../present/digest.js';
import { escapeMarkdown as md } from '../text.js';
import { card, fitCard, text, type AdaptiveCard } from './types.js';

export function renderDigestCard(d: DigestView, options: { withChart: boolean }): AdaptiveCard {
  const [title, ...rest] = d.lines;
  return fitCard(
    card(
      [
        text(md(title ?? 'reality-check digest'), { weight: 'Bolder', size: 'Medium' }),
        text(rest.map((l) => `- ${md(l)}`).join('\n')),
        text(`Brier score: 0–1 binary form, 0 is perfect, 0.25 is a coin flip.${options.withChart ? ' The calibration chart is attached below.' : ''}`, { isSubtle: true, size: 'Small' }),
      ],
      [],
      d.lines.join('\n'),
    ),
  );
}
