// Renders a consultation as a MADR 4 architecture decision record, so the verdict can live in the
// repository next to the code it is about.
import type { VerdictView } from './verdict.js';

function bullet(lines: string[]): string {
  return lines.map((l) => `* ${l}`).join('\n');
}

/** User text in the record (stories) shows as typed: no markdown, HTML or links of its own. */
function escapeMarkdown(value: string): string {
  return value.replace(/[\\`*_{}[\]()<>#+!|~&-]/g, (c) => `\\${c}`);
}

const safeUrl = (url: string | null | undefined): string | null => (url && /^https:\/\/[^\s<>]+$/.test(url) ? url : null);

/** "In this workspace": the earlier consultations on the topic and what their people wrote. */
function historySection(view: VerdictView): string {
  const h = view.history;
  if (!h) return '';
  const stories = h.stories.map((s) => `${s.text.split('\n').map((l) => `> ${escapeMarkdown(l)}`).join('\n')}\n>\n> — ${escapeMarkdown(s.author ?? s.userId)}, ${s.month} (${safeUrl(s.link) ? `[${s.consultationId}](<${safeUrl(s.link)}>)` : s.consultationId})`);
  return `
### In this workspace

${h.asked} ${h.verdicts} ${h.resolved}
${h.failureModes.length ? `\n${bullet(h.failureModes.map((f) => `${f.name}: ${f.text}`))}\n` : ''}${h.actuals ? `\n${h.actuals}\n` : ''}${stories.length ? `\n${stories.join('\n\n')}\n` : ''}${h.privateNote ? `\n${h.privateNote}\n` : ''}`;
}

export function renderAdr(view: VerdictView, meta: { date: string; askedBy: string }): string {
  const chosen = view.verdict === 'not-yet'
    ? view.alternatives[0]?.name ?? 'Defer the decision'
    : view.verdict === 'adopt' ? view.title : `${view.title}, with guardrails`;
  const options = [view.title, ...view.alternatives.map((a) => a.name)];
  const top = view.failureModes.slice(0, 5);
  return `---
status: proposed
date: ${meta.date}
decision-makers: ${meta.askedBy}
consulted: reality-check (knowledge base ${view.knowledgeVersion}, consultation ${view.consultationId})
---

# ${view.question.replace(/\s+/g, ' ').trim()}

## Context and Problem Statement

The claim under consideration: "${view.claim}" reality-check assessed it against production experience
for ${view.title.toLowerCase()} and the team's answers to its questionnaire.${safeUrl(view.sourceUrl) ? ` It was asked about [this message](<${safeUrl(view.sourceUrl)}>).` : ''}
${historySection(view)}
## Decision Drivers

${bullet(top.map((f) => `${f.name}: ${f.probabilityText} ${f.horizon}`))}
* Cost (first year): ${view.cost.line}${view.cost.note ? `; ${view.cost.note}` : ''}
* Time to production: ${view.time.line}${view.time.note ? `; ${view.time.note}` : ''}

## Considered Options

${bullet(options)}

## Decision Outcome

Chosen option: "${chosen}", because the assessment's verdict is **${view.verdictLabel}** (${view.riskText}). ${view.headline}

### Consequences

${bullet(top.map((f) => `Bad, because ${f.name.toLowerCase()} is ${f.probabilityText} likely ${f.horizon}${f.why.length ? ` — ${f.why.join('; ')}` : ''}`))}
${view.alternatives.filter((a) => a.recommended).map((a) => `* Good, because ${a.name.toLowerCase()} fits: ${a.fits}`).join('\n')}

### Confirmation

Check-in on ${view.checkIn}: record for each failure mode whether it happened, and the actual cost and
time to production, with \`reality-check resolve ${view.consultationId}\`.
${top.map((f) => `\n* ${f.name}: ${f.sign}`).join('')}

## Pros and Cons of the Options

${view.alternatives.map((a) => `### ${a.name}\n\n${a.summary}\n\n* Good, because it fits ${a.fits.charAt(0).toLowerCase()}${a.fits.slice(1)}`).join('\n\n')}

## More Information

${view.tippingPoints.length ? `What would change the verdict:\n\n${bullet(view.tippingPoints)}` : 'No single answer change would flip the verdict.'}
${view.cliffs.length ? `\nScaling cliffs to watch:\n\n${bullet(view.cliffs)}\n` : ''}`;
}
