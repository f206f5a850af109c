// The verdict card and its full explanation, drawn from the same VerdictView as Slack's blocks:
// verdict, failure modes with why, cost and time, what works instead, then Explain and Export ADR.
import type { VerdictView } from '../../present/verdict.js';
import { ACTIONS } from '../submit-data.js';
import { escapeMarkdown as md, limit } from '../text.js';
import { renderWorkspaceElements } from './history.js';
import { card, fitCard, text, type AdaptiveCard, type CardElement, type TextBlock } from './types.js';

const VERDICT_COLOR: Record<VerdictView['verdict'], NonNullable<TextBlock['color']>> = { adopt: 'Good', 'adopt-with-guardrails': 'Warning', 'not-yet': 'Attention' };
const VERDICT_MARK: Record<VerdictView['verdict'], string> = { adopt: '🟢', 'adopt-with-guardrails': '🟡', 'not-yet': '🔴' };

function failureModeItems(view: VerdictView, count: number): CardElement[] {
  return view.failureModes.slice(0, count).map((f) => ({
    type: 'Container',
    spacing: 'Small',
    items: [
      text(`**${f.probabilityText}** ${md(f.name)} (${f.horizon})`, { spacing: 'None' }),
      ...(f.why.length ? [text(`why: ${md(f.why.slice(0, 3).join('; '))}`, { isSubtle: true, size: 'Small', spacing: 'None' })] : []),
      ...(f.calibrationNote ? [text(`calibrated: ${md(f.calibrationNote)}`, { isSubtle: true, size: 'Small', spacing: 'None' })] : []),
    ],
  }));
}

export function renderVerdictCard(view: VerdictView, options: { askedBy?: string } = {}): AdaptiveCard {
  const asker = options.askedBy ? ` — asked by ${md(options.askedBy)}` : '';
  const body: CardElement[] = [
    text(md(`${view.verdictLabel}: ${view.title}`), { weight: 'Bolder', size: 'Large', color: VERDICT_COLOR[view.verdict] }),
    text(`${VERDICT_MARK[view.verdict]} ${md(view.headline)}`),
    text(`> ${md(limit(view.question.replace(/\s+/g, ' '), 500))}${asker}`, { isSubtle: true }),
    text('Failure modes predicted', { weight: 'Bolder', separator: true }),
    ...failureModeItems(view, 4),
    {
      type: 'FactSet',
      facts: [
        { title: 'Cost (first year)', value: view.cost.line },
        { title: 'Time to production', value: view.time.line },
      ],
    },
    ...[
      ['Cost', view.cost.note],
      ['Time', view.time.note],
    ].flatMap(([what, note]) => (note ? [text(`${what}: ${md(note)}`, { isSubtle: true, size: 'Small', spacing: 'None' })] : [])),
    text('What actually works instead', { weight: 'Bolder', separator: true }),
    ...view.alternatives.slice(0, 3).map((a) => text(`${a.recommended ? '⭐' : '•'} **${md(a.name)}** — ${md(a.summary)}`, { spacing: 'Small' })),
    ...renderWorkspaceElements(view),
    text(`${view.consultationId} · ${md(view.riskText)} · check-in on ${view.checkIn} · knowledge ${view.knowledgeVersion.slice(0, 8)}`, { isSubtle: true, size: 'Small', separator: true }),
  ];
  return fitCard(
    card(
      body,
      [
        { type: 'Action.Submit', title: 'Explain', data: { rc: ACTIONS.explain, id: view.consultationId } },
        { type: 'Action.Submit', title: 'Export ADR', data: { rc: ACTIONS.exportAdr, id: view.consultationId } },
      ],
      verdictFallbackText(view),
    ),
  );
}

/** The full reasoning: every failure mode with why and what it looks like, tipping points, cliffs. */
export function renderExplainCard(view: VerdictView): AdaptiveCard {
  const bullets = (lines: string[]): string => lines.map((l) => `- ${md(l)}`).join('\n');
  const body: CardElement[] = [
    text(md(`Why: ${view.verdictLabel} — ${view.title}`), { weight: 'Bolder', size: 'Medium' }),
    text(`The claim: “${md(view.claim)}” ${md(view.riskText)}.`, { isSubtle: true }),
  ];
  for (const f of view.failureModes) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        text(`**${f.probabilityText} — ${md(f.name)}** (${f.severity} severity, ${f.horizon})`),
        text(md(f.description), { spacing: 'None' }),
        text(`You would see: ${md(f.sign)}`, { isSubtle: true, spacing: 'None' }),
        text(f.why.length ? `Driven by: ${md(f.why.join('; '))}` : 'No answer moved this from its base rate.', { isSubtle: true, size: 'Small', spacing: 'None' }),
        ...(f.calibrationNote ? [text(`Calibrated: ${md(f.calibrationNote)}`, { isSubtle: true, size: 'Small', spacing: 'None' })] : []),
      ],
    });
  }
  body.push(text('What would change the verdict', { weight: 'Bolder', separator: true }));
  body.push(text(view.tippingPoints.length ? bullets(view.tippingPoints.slice(0, 8)) : 'No single answer change would flip it.'));
  if (view.cliffs.length) body.push(text('Scaling cliffs to watch', { weight: 'Bolder' }), text(bullets(view.cliffs)));
  if (view.orgLimits.length) body.push(text('Organisational limits', { weight: 'Bolder' }), text(bullets(view.orgLimits)));
  body.push(text('All the alternatives', { weight: 'Bolder' }));
  body.push(...view.alternatives.map((a) => text(`**${md(a.name)}** — ${md(a.summary)} _Fits:_ ${md(a.fits)}`, { spacing: 'Small' })));
  return fitCard(card(body, [], `Why: ${view.verdictLabel} — ${view.title}`));
}

export function verdictFallbackText(view: VerdictView): string {
  return limit(`${view.verdictLabel}: ${view.title}. ${view.headline} Cost ${view.cost.line}; time ${view.time.line}.`, 3000);
}
