// The weekly digest post; the chart follows in the thread as an image, and the text works without it.
import type { KnownBlock } from '@slack/types';
import type { DigestView } from '../../present/digest.js';
import { escapeText, limit, LIMITS } from '../escape.js';

/** Bullets in as few sections as fit Block Kit's 3,000 characters each: a long digest is not cut short. */
function sections(lines: readonly string[]): KnownBlock[] {
  const chunks: string[] = [];
  for (const line of lines.map((l) => limit(`• ${escapeText(l)}`, LIMITS.sectionText))) {
    const last = chunks.length - 1;
    if (last >= 0 && chunks[last]!.length + 1 + line.length <= LIMITS.sectionText) chunks[last] += `\n${line}`;
    else chunks.push(line);
  }
  return chunks.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

export function renderDigestBlocks(d: DigestView): KnownBlock[] {
  const [title, ...rest] = d.lines;
  return [
    { type: 'header', text: { type: 'plain_text', text: limit(title ?? 'reality-check digest', LIMITS.header) } },
    ...sections(rest),
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Brier score: 0–1 binary form, 0 is perfect, 0.25 is a coin flip. The calibration chart is in the thread.' }] },
  ];
}
