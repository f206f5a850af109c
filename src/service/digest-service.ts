// Gathers one workspace's digest: reads the store once, then computes everything in memory.
import { DateTime } from 'luxon';
import { addSums, brierOf, countConsultations, forecastSums, moveForecasts, scoringTotal, successMetricsOfScoring, sumBy, summariseScoring, type Scoring } from '../accuracy/groups.js';
import { digestLines, type DigestView } from '../present/digest.js';
import { isoWeekLabel } from '../schedule/digest-time.js';
import type { ResolvedForecast, Store } from '../store/index.js';

const DAY = 86_400_000;

/**
 * The digest reads the workspace's running sums (scoring_groups: a few hundred rows however many outcomes)
 * and only the outcomes of its last weeks as rows, for the trend; the figures are those the rows would give.
 */
export async function buildDigest(store: Store, workspace: string, now: number, timeZone = 'UTC'): Promise<DigestView> {
  const c = store.consultations;
  const weekStart = DateTime.fromMillis(now, { zone: timeZone }).startOf('week').toMillis();
  const weekEnds = [3, 2, 1, 0].map((weeksAgo) => DateTime.fromMillis(weekStart, { zone: timeZone }).minus({ weeks: weeksAgo - 1 }).toMillis());
  // Everything recorded from the earliest trend week's end on, including what an injected clock puts
  // after `now`: the sums hold it, and the digest describes the moment `now`.
  const [stored, recent, allEstimates, thisWeek, recentTopics] = await Promise.all([
    c.scoring(workspace),
    c.resolvedForecasts(workspace, { since: Math.min(weekEnds[0]!, weekStart) }),
    c.resolvedEstimates(workspace),
    c.countSince(workspace, weekStart),
    c.countSince(workspace, now - 28 * DAY),
  ]);
  const estimates = allEstimates.filter((e) => e.recordedAt <= now);
  const later = recent.filter((f) => f.recordedAt > now);
  const scoring = withoutLater(stored, recent, later);
  const all = scoringTotal(scoring.groups);

  const trend = weekEnds.map((end) => {
    const excluded = recent.filter((f) => f.recordedAt >= Math.min(end, now + 1) && f.recordedAt <= now);
    const upTo = { ...all };
    for (const f of excluded) addSums(upTo, forecastSums(f.probability, f.happened), -1);
    const { brier, baseline } = brierOf(upTo);
    return { week: isoWeekLabel(end - 1, timeZone), brier, baseline, resolved: upTo.n };
  });

  const surprises = [...sumBy(scoring.groups, (g) => `${g.topic}/${g.failureMode}`).entries()]
    .filter(([, g]) => g.n >= 3)
    .map(([failureMode, g]) => ({ failureMode, predicted: g.sumP / g.n, observed: g.sumO / g.n, resolved: g.n }))
    .sort((a, b) => Math.abs(b.observed - b.predicted) - Math.abs(a.observed - a.predicted) || a.failureMode.localeCompare(b.failureMode))
    .slice(0, 3);

  const accuracy = summariseScoring(scoring, estimates);
  const base = {
    workspace,
    weekLabel: isoWeekLabel(now, timeZone),
    consultationsThisWeek: thisWeek,
    resolvedThisWeek: recent.filter((f) => f.recordedAt >= weekStart && f.recordedAt <= now).length,
    accuracy,
    metrics: successMetricsOfScoring(accuracy, scoring, estimates),
    trend,
    surprises,
    topTopics: recentTopics.slice(0, 5),
  };
  return { ...base, lines: digestLines(base) };
}

/**
 * The stored sums without the outcomes recorded after `now`. A consultation stops counting when all of
 * its resolved failure modes are later ones (as far as the recent rows show: one resolved before them
 * and another after `now` is a clock that moved backwards, and keeps it counted).
 */
function withoutLater(stored: Scoring, recent: readonly ResolvedForecast[], later: readonly ResolvedForecast[]): Scoring {
  if (later.length === 0) return stored;
  const moved = moveForecasts(stored, later, -1);
  const isLater = new Set(later);
  const kept = new Set(recent.filter((f) => !isLater.has(f)).map((f) => f.consultationId));
  const gone = countConsultations(later.filter((f) => !kept.has(f.consultationId)));
  return { ...moved, consultations: { followed: moved.consultations.followed - gone.followed, notFollowed: moved.consultations.notFollowed - gone.notFollowed } };
}
