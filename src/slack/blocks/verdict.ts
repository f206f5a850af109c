// Block Kit for a verdict message and its full explanation, rendered from the channel-neutral view.
import type { KnownBlock } from '@slack/types';
import type { VerdictView } from '../../present/verdict.js';
import { escapeText, limit, LIMITS } from '../escape.js';
import { renderWorkspaceBlocks } from './history.js';

const VERDICT_EMOJI = { adopt: ':large_green_circle:', 'adopt-with-guardrails': ':large_yellow_circle:', 'not-yet': ':red_circle:' } as const;

export const VERDICT_ACTIONS = { explain: 'verdict_explain', exportAdr: 'verdict_export_adr', changeCheckIn: 'verdict_change_check_in' } as const;

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: limit(text, LIMITS.sectionText) } };
}

function failureModeLines(view: VerdictView, count: number): string {
  return view.failureModes
    .slice(0, count)
    .map((f) => {
      const why = f.why.length ? `\n      _why:_ ${escapeText(f.why.slice(0, 3).join('; '))}` : '';
      const note = f.calibrationNote ? `\n      _calibrated:_ ${escapeText(f.calibrationNote)}` : '';
      return `*${f.probabilityText}*  ${escapeText(f.name)} (${f.horizon})${why}${note}`;
    })
    .join('\n');
}

export function renderVerdictBlocks(view: VerdictView, options: { askedBy?: string } = {}): KnownBlock[] {
  const asker = options.askedBy ? ` asked by <@${options.askedBy}>` : '';
  const instead = view.alternatives.slice(0, 3).map((a) => `${a.recommended ? ':star: ' : '• '}*${escapeText(a.name)}* — ${escapeText(a.summary)}`).join('\n');
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: limit(`${view.verdictLabel}: ${view.title}`, LIMITS.header) } },
    section(`${VERDICT_EMOJI[view.verdict]} ${escapeText(view.headline)}\n>${escapeText(limit(view.question, 500))}${asker}`),
    section(`*Failure modes predicted*\n${failureModeLines(view, 4)}`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Cost (first year)*\n${view.cost.line}${view.cost.note ? `\n_${escapeText(view.cost.note)}_` : ''}` },
        { type: 'mrkdwn', text: `*Time to production*\n${view.time.line}${view.time.note ? `\n_${escapeText(view.time.note)}_` : ''}` },
      ],
    },
    section(`*What actually works instead*\n${instead}`),
    ...renderWorkspaceBlocks(view),
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${view.consultationId} · ${escapeText(view.riskText)} · check-in on ${view.checkIn} · knowledge ${view.knowledgeVersion.slice(0, 8)}` }],
    },
    {
      type: 'actions',
      block_id: 'verdict_actions',
      elements: [
        { type: 'button', action_id: VERDICT_ACTIONS.explain, text: { type: 'plain_text', text: 'Explain' }, value: view.consultationId },
        { type: 'button', action_id: VERDICT_ACTIONS.exportAdr, text: { type: 'plain_text', text: 'Export ADR' }, value: view.consultationId },
        { type: 'button', action_id: VERDICT_ACTIONS.changeCheckIn, text: { type: 'plain_text', text: 'Change check-in date' }, value: view.consultationId },
      ],
    },
  ];
  return blocks;
}

/** The full reasoning: every failure mode with why and what it looks like, tipping points, cliffs. */
export function renderExplainBlocks(view: VerdictView): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: limit(`Why: ${view.verdictLabel} — ${view.title}`, LIMITS.header) } },
    section(`_The claim:_ “${escapeText(view.claim)}”\n${escapeText(view.riskText)}.`),
  ];
  for (const f of view.failureModes) {
    blocks.push(
      section(
        `*${f.probabilityText} — ${escapeText(f.name)}* (${f.severity} severity, ${f.horizon})\n${escapeText(f.description)}\n_You would see:_ ${escapeText(f.sign)}${
          f.why.length ? `\n_Driven by:_ ${escapeText(f.why.join('; '))}` : '\n_No answer moved this from its base rate._'
        }${f.calibrationNote ? `\n_Calibrated:_ ${escapeText(f.calibrationNote)}` : ''}`,
      ),
    );
  }
  blocks.push(section(`*What would change the verdict*\n${view.tippingPoints.length ? view.tippingPoints.slice(0, 8).map((t) => `• ${escapeText(t)}`).join('\n') : 'No single answer change would flip it.'}`));
  if (view.cliffs.length) blocks.push(section(`*Scaling cliffs to watch*\n${view.cliffs.map((c) => `• ${escapeText(c)}`).join('\n')}`));
  if (view.orgLimits.length) blocks.push(section(`*Organisational limits*\n${view.orgLimits.map((l) => `• ${escapeText(l)}`).join('\n')}`));
  blocks.push(section(`*All the alternatives*\n${view.alternatives.map((a) => `• *${escapeText(a.name)}* — ${escapeText(a.summary)} _Fits:_ ${escapeText(a.fits)}`).join('\n')}`));
  return blocks.slice(0, LIMITS.messageBlocks);
}

export function verdictFallbackText(view: VerdictView): string {
  return limit(`${view.verdictLabel}: ${view.title}. ${view.headline} Cost ${view.cost.line}; time ${view.time.line}.`, 3000);
}
