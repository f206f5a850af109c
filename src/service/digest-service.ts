// Gathers one workspace's digest: reads the store once, then computes everything in memory.
import { DateTime } from 'luxon';
import { brierScore, baseRateBrier } from '../accuracy/scores.js';
import { successMetrics } from '../accuracy/success-metrics.js';
import { summariseAccuracy } from '../accuracy/summary.js';
import { digestLines, type DigestView } from '../present/digest.js';
import { isoWeekLabel } from '../schedule/digest-time.js';
import type { Store } from '../store/index.js';

const DAY = 86_400_000;

export async function buildDigest(store: Store, workspace: string, now: number, timeZone = 'UTC'): Promise<DigestView> {
  const c = store.consultations;
  const weekStartEarly = DateTime.fromMillis(now, { zone: timeZone }).startOf('week').toMillis();
  const [forecasts, allEstimates, thisWeek, recentTopics] = await Promise.all([
    c.resolvedForecasts(workspace, { until: now }),
    c.resolvedEstimates(workspace),
    c.countSince(workspace, weekStartEarly),
    c.countSince(workspace, now - 28 * DAY),
  ]);
  const estimates = allEstimates.filter((e) => e.recordedAt <= now);
  const weekStart = weekStartEarly;

  const trend = [3, 2, 1, 0].map((weeksAgo) => {
    const end = DateTime.fromMillis(weekStart, { zone: timeZone }).minus({ weeks: weeksAgo - 1 }).toMillis();
    const upTo = forecasts.filter((f) => f.recordedAt < Math.min(end, now + 1)).map((f) => ({ p: f.probability, outcome: f.happened }));
    return { week: isoWeekLabel(end - 1, timeZone), brier: brierScore(upTo), baseline: baseRateBrier(upTo), resolved: upTo.length };
  });

  const groups = new Map<string, { sumP: number; hits: number; n: number }>();
  for (const f of forecasts) {
    const key = `${f.topic}/${f.failureMode}`;
    const g = groups.get(key) ?? { sumP: 0, hits: 0, n: 0 };
    g.sumP += f.probability;
    g.hits += f.happened;
    g.n += 1;
    groups.set(key, g);
  }
  const surprises = [...groups.entries()]
    .filter(([, g]) => g.n >= 3)
    .map(([failureMode, g]) => ({ failureMode, predicted: g.sumP / g.n, observed: g.hits / g.n, resolved: g.n }))
    .sort((a, b) => Math.abs(b.observed - b.predicted) - Math.abs(a.observed - a.predicted) || a.failureMode.localeCompare(b.failureMode))
    .slice(0, 3);

  const accuracy = summariseAccuracy(forecasts, estimates);
  const base = {
    workspace,
    weekLabel: isoWeekLabel(now, timeZone),
    consultationsThisWeek: thisWeek,
    resolvedThisWeek: forecasts.filter((f) => f.recordedAt >= weekStart).length,
    accuracy,
    metrics: successMetrics(accuracy, forecasts, estimates),
    trend,
    surprises,
    topTopics: recentTopics.slice(0, 5),
  };
  return { ...base, lines: digestLines(base) };
}
