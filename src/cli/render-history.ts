// Terminal text for a verdict's "In this workspace" section and for `history` search results: plain
// lines, user text stripped of control characters so a story cannot move the cursor or recolour output.
import type { DecisionView } from '../present/decision-log.js';
import type { HistoryView } from '../present/history.js';
import type { VerdictView } from '../present/verdict.js';

/** User text without control characters (newline and tab kept). */
export function plain(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}

const indent = (value: string, prefix: string): string => plain(value).split('\n').map((l) => `${prefix}${l}`).join('\n');

export function renderHistoryText(h: HistoryView): string[] {
  const lines = ['In this workspace:', `  ${h.asked}`, `  ${h.verdicts} ${h.resolved}`];
  for (const f of h.failureModes) lines.push(`  - ${f.name}: ${f.text}`);
  if (h.actuals) lines.push(`  ${h.actuals}`);
  for (const s of h.stories) {
    lines.push(indent(`“${s.text}”`, '    > '), `      — ${plain(s.author ?? s.userId)}, ${s.month} (${s.consultationId}${s.link ? `, ${plain(s.link)}` : ''})`);
  }
  if (h.privateNote) lines.push(`  ${h.privateNote}`);
  return lines;
}

/** The verdict's workspace section and source link as terminal lines; none when it has neither. */
export function renderWorkspaceText(view: VerdictView): string[] {
  const lines = view.history ? ['', ...renderHistoryText(view.history)] : [];
  if (view.sourceUrl) lines.push('', `Asked about: ${plain(view.sourceUrl)}`);
  return lines;
}

export function renderDecisionsText(decisions: DecisionView[]): string {
  if (decisions.length === 0) return 'No consultations found.\n';
  const out: string[] = [];
  for (const d of decisions) {
    out.push(`${d.id}  ${d.asked}  ${d.topic}  ${d.verdictLabel} — ${d.outcome}`, indent(d.question.replace(/\s+/g, ' '), '    '));
    if (d.story) out.push(indent(`“${d.story.text}”`, '    > '), `      — ${plain(d.story.author ?? d.story.userId)}, ${d.story.month}`);
    else if (d.storyPrivate) out.push('    (a note was recorded and kept private)');
    if (d.link) out.push(`    ${plain(d.link)}`);
  }
  return `${out.join('\n')}\n`;
}
