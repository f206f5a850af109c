// "In this workspace": the workspace's own record on the topic, worded once for every surface (Slack,
// Teams, terminal, ADR). Story texts stay raw here; each renderer escapes them for its own format.
import { VERDICT_LABELS, type Verdict } from '../consult/assess.js';
import type { WorkspaceHistory } from '../service/workspace-history.js';
import type { Platform } from '../store/types.js';

export interface QuotedStory {
  consultationId: string;
  text: string;
  userId: string;
  /** The author's name where it is known; without it Slack mentions the user id, other surfaces print it. */
  author: string | null;
  platform: Platform;
  /** "Mar 2025" */
  month: string;
  link: string | null;
}

export interface HistoryView {
  /** "3 earlier consultations on Kubernetes here, by 2 people, Jan 2025 – Mar 2025." */
  asked: string;
  /** "Verdicts: 2 Adopt with guardrails, 1 Not yet." */
  verdicts: string;
  /** "2 resolved; 1 did not adopt it." */
  resolved: string;
  /** The failure modes predicted now that were answered there: "happened in 2 of 2 reported". */
  failureModes: Array<{ id: string; name: string; text: string }>;
  /** "Actual cost 1.4× the predicted median (2 reports); time to production 1.8× (2 reports)." */
  actuals: string | null;
  stories: QuotedStory[];
  /** "1 more note was kept private." */
  privateNote: string | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatMonth(epochMs: number): string {
  const d = new Date(epochMs);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const times = (r: number): string => `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;

export function buildHistoryView(h: WorkspaceHistory, meta: { topicTitle: string; failureModeNames: ReadonlyMap<string, string> }): HistoryView {
  const first = formatMonth(h.firstAt);
  const last = formatMonth(h.lastAt);
  const when = first === last ? first : `${first} – ${last}`;
  const count = h.truncated ? `The latest ${h.consultations}` : `${h.consultations}`;
  const verdicts = Object.entries(h.verdicts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([v, n]) => `${n} ${VERDICT_LABELS[v as Verdict] ?? v}`);
  const actuals: string[] = [];
  if (h.costRatio !== null) actuals.push(`actual cost ${times(h.costRatio)} the predicted median (${plural(h.costReports, 'report')})`);
  if (h.timeRatio !== null) actuals.push(`time to production ${times(h.timeRatio)} the predicted months (${plural(h.timeReports, 'report')})`);
  const quoted = h.stories.length;
  return {
    asked: `${count} earlier ${h.consultations === 1 ? 'consultation' : 'consultations'} on ${meta.topicTitle} here, by ${plural(h.askers, 'person', 'people')}, ${when}.`,
    verdicts: `Verdicts: ${verdicts.join(', ')}.`,
    resolved: h.resolved === 0
      ? 'None resolved yet.'
      : `${h.resolved} resolved${h.notAdopted ? `; ${h.notAdopted} did not adopt it` : ''}.`,
    failureModes: h.failureModes
      .filter((f) => f.resolved > 0)
      .map((f) => ({ id: f.id, name: meta.failureModeNames.get(f.id) ?? f.id, text: `happened in ${f.happened} of ${f.resolved} reported` })),
    actuals: actuals.length ? `${actuals.join('; ').replace(/^a/, 'A')}.` : null,
    stories: h.stories.map((s) => ({
      consultationId: s.consultationId,
      text: s.text,
      userId: s.recordedBy,
      author: s.author,
      platform: s.platform,
      month: formatMonth(s.recordedAt),
      link: s.link,
    })),
    privateNote: h.privateStories === 0
      ? null
      : `${h.privateStories}${quoted ? ' more' : ''} ${h.privateStories === 1 ? 'note was' : 'notes were'} kept private (counted above, not quoted).`,
  };
}
