// Terminal rendering of the channel-neutral view models: plain text, readable without colour.
import type { VerdictView } from '../present/verdict.js';
import { renderWorkspaceText } from './render-history.js';

export function renderVerdictText(view: VerdictView, options: { topFailureModes?: number } = {}): string {
  const lines: string[] = [];
  const top = view.failureModes.slice(0, options.topFailureModes ?? 5);
  lines.push(`${view.title} — ${view.verdictLabel.toUpperCase()}`, view.headline, `(${view.riskText})`, '');
  lines.push('Failure modes predicted:');
  for (const f of top) {
    lines.push(`  ${f.probabilityText.padStart(4)}  ${f.name} (${f.horizon})`);
    for (const why of f.why) lines.push(`          because: ${why}`);
    if (f.calibrationNote) lines.push(`          calibrated: ${f.calibrationNote}`);
  }
  if (view.failureModes.length > top.length) lines.push(`  … and ${view.failureModes.length - top.length} less likely (see \`show ${view.consultationId}\`)`);
  lines.push('', `Cost: ${view.cost.line} — ${view.cost.basis.toLowerCase()}`);
  if (view.cost.note) lines.push(`      ${view.cost.note}`);
  lines.push(`Time to production: ${view.time.line}`);
  if (view.time.note) lines.push(`      ${view.time.note}`);
  lines.push('');
  lines.push('What actually works instead:');
  for (const a of view.alternatives) lines.push(`  ${a.recommended ? '★' : '-'} ${a.name}: ${a.summary}`);
  if (view.tippingPoints.length > 0) {
    lines.push('', 'What would change the verdict:');
    for (const t of view.tippingPoints.slice(0, 5)) lines.push(`  - ${t}`);
  }
  lines.push(...renderWorkspaceText(view));
  lines.push('', `Consultation ${view.consultationId}; check-in on ${view.checkIn}. Record what happened with \`reality-check resolve ${view.consultationId}\`.`);
  return lines.join('\n');
}

export function renderExplainText(view: VerdictView): string {
  const lines = [renderVerdictText(view, { topFailureModes: view.failureModes.length }), '', 'Full reasoning:'];
  for (const f of view.failureModes) {
    lines.push(`  ${f.name} — ${f.probabilityText}, ${f.severity} severity, ${f.horizon}`, `    ${f.description}`, `    You would see: ${f.sign}`);
  }
  if (view.cliffs.length) lines.push('', 'Scaling cliffs:', ...view.cliffs.map((c) => `  - ${c}`));
  if (view.orgLimits.length) lines.push('', 'Organisational limits:', ...view.orgLimits.map((l) => `  - ${l}`));
  return lines.join('\n');
}
