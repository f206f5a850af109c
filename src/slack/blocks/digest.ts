// The weekly digest post; the chart follows in the thread as an image, and the text works without it.
import type { KnownBlock } from '@slack/types';
import type { DigestView } from '../../present/digest.js';
import { escapeText, limit, LIMITS } from '../escape.js';

export function renderDigestBlocks(d: DigestView): KnownBlock[] {
  const [title, ...rest] = d.lines;
  return [
    { type: 'header', text: { type: 'plain_text', text: limit(title ?? 'reality-check digest', LIMITS.header) } },
    { type: 'section', text: { type: 'mrkdwn', text: limit(rest.map((l) => `• ${escapeText(l)}`).join('\n'), LIMITS.sectionText) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Brier score: 0–1 binary form, 0 is perfect, 0.25 is a coin flip. The calibration chart is in the thread.' }] },
  ];
}
