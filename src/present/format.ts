// Small formatters shared by every surface, so Slack, Teams and the terminal say numbers the same way.

export function formatMoney(usd: number): string {
  if (usd >= 1_000_000) return `$${trim(usd / 1_000_000)}M`;
  if (usd >= 1_000) return `$${trim(usd / 1_000)}K`;
  return `$${Math.round(usd)}`;
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(0) : x.toFixed(1).replace(/\.0$/, '');
}

export function formatPercent(p: number): string {
  const pct = p * 100;
  if (pct > 0 && pct < 1) return '<1%';
  if (pct < 100 && pct > 99) return '>99%';
  return `${Math.round(pct)}%`;
}

export function formatMonths(m: number): string {
  return `${Number.isInteger(m) ? m : m.toFixed(1)} month${m === 1 ? '' : 's'}`;
}

/** ISO date (YYYY-MM-DD) in UTC: check-in dates are days, not instants. */
export function formatDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
