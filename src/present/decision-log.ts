// A past decision as every surface lists it (search results, App Home's decision log): the verdict,
// what became of it, the story if it is not private, and a link to the consultation.
import { VERDICT_LABELS, type Verdict } from '../consult/assess.js';
import type { KnowledgeBase } from '../knowledge/load.js';
import type { Decision, Platform } from '../store/types.js';
import { formatDate, formatMoney, formatMonths } from './format.js';
import { formatMonth } from './history.js';

export interface DecisionView {
  id: string;
  question: string;
  topic: string;
  verdictLabel: string;
  /** YYYY-MM-DD */
  asked: string;
  askedBy: string;
  platform: Platform;
  /** "2 of 5 failure modes answered; happened: Networking incidents · cost $240K (predicted $120K)" */
  outcome: string;
  predicted: number;
  resolved: number;
  /** Names of the failure modes that happened. */
  happened: string[];
  story: { text: string; author: string | null; userId: string; month: string } | null;
  /** A story was recorded and kept private: it exists, it is not shown. */
  storyPrivate: boolean;
  link: string | null;
}

function actuals(d: Decision): string[] {
  const out: string[] = [];
  for (const e of d.estimates) {
    if (e.actual === null) continue;
    out.push(e.kind === 'cost' ? `cost ${formatMoney(e.actual)} (predicted ${formatMoney(e.p50)})` : `${formatMonths(e.actual)} to production (predicted ${formatMonths(e.p50)})`);
  }
  return out;
}

export function buildDecisionView(d: Decision, kb: KnowledgeBase): DecisionView {
  const topic = kb.topics.get(d.topic);
  const name = (id: string): string => topic?.failureModes.find((f) => f.id === id)?.name ?? id;
  const answered = d.failureModes.filter((f) => f.happened !== null);
  const happened = answered.filter((f) => f.happened).map((f) => name(f.id));
  let outcome: string;
  if (d.notAdopted) outcome = 'not adopted';
  else if (answered.length === 0 && actuals(d).length === 0) outcome = `open — none of ${d.failureModes.length} failure modes answered yet`;
  else {
    outcome = `${answered.length} of ${d.failureModes.length} failure modes answered; ${happened.length ? `happened: ${happened.join(', ')}` : 'none happened'}`;
    const actual = actuals(d);
    if (actual.length) outcome += ` · ${actual.join(', ')}`;
  }
  return {
    id: d.id,
    question: d.question,
    topic: topic?.title ?? d.topic,
    verdictLabel: VERDICT_LABELS[d.verdict as Verdict] ?? d.verdict,
    asked: formatDate(d.createdAt),
    askedBy: d.userId,
    platform: d.platform,
    outcome,
    predicted: d.failureModes.length,
    resolved: answered.length,
    happened,
    story: d.story && !d.story.private && d.story.text !== null
      ? { text: d.story.text, author: d.story.author, userId: d.story.recordedBy, month: formatMonth(d.story.recordedAt) }
      : null,
    storyPrivate: d.story?.private === true,
    link: d.link,
  };
}
