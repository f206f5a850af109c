// Turns low/likely/high ranges into p10/p50/p90. Costs are summed as correlated lognormals because
// IT cost overruns are fat-tailed: the p90 of the total sits well above its p50.
const Z90 = 1.2815515655446004;
/** Cost components share drivers (the same team, the same scope creep), so they are not independent. */
const COMPONENT_CORRELATION = 0.3;

export interface Quantiles {
  p10: number;
  p50: number;
  p90: number;
}

interface Lognormal {
  mu: number;
  sigma: number;
}

/** Median at `likely`, p90 at `high`: the upper tail is what planning gets wrong. */
function lognormalFrom(likely: number, high: number): Lognormal {
  const sigma = high > likely ? Math.log(high / likely) / Z90 : 0;
  return { mu: Math.log(likely), sigma };
}

function moments({ mu, sigma }: Lognormal): { mean: number; sd: number } {
  const mean = Math.exp(mu + (sigma * sigma) / 2);
  const variance = (Math.exp(sigma * sigma) - 1) * Math.exp(2 * mu + sigma * sigma);
  return { mean, sd: Math.sqrt(variance) };
}

/** Fenton–Wilkinson: the sum of lognormals approximated by the lognormal with the same mean and variance. */
export function sumQuantiles(ranges: ReadonlyArray<{ likely: number; high: number }>): Quantiles {
  const parts = ranges.map((r) => moments(lognormalFrom(r.likely, r.high)));
  const mean = parts.reduce((s, p) => s + p.mean, 0);
  let variance = 0;
  for (let i = 0; i < parts.length; i++) {
    for (let j = 0; j < parts.length; j++) {
      const rho = i === j ? 1 : COMPONENT_CORRELATION;
      variance += rho * parts[i]!.sd * parts[j]!.sd;
    }
  }
  if (mean <= 0) return { p10: 0, p50: 0, p90: 0 };
  const sigma2 = Math.log(1 + variance / (mean * mean));
  const mu = Math.log(mean) - sigma2 / 2;
  const sigma = Math.sqrt(sigma2);
  return {
    p10: Math.exp(mu - Z90 * sigma),
    p50: Math.exp(mu),
    p90: Math.exp(mu + Z90 * sigma),
  };
}

/** Rounds to three significant figures: estimates should not pretend to more precision than that. */
export function roundSignificant(value: number, digits = 3): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value))) - digits + 1;
  const scale = 10 ** magnitude;
  return Math.round(value / scale) * scale;
}

export function roundHalf(value: number): number {
  return Math.max(0.5, Math.round(value * 2) / 2);
}

/** Quantiles as shown: costs to three significant figures, months to the half month. */
export function roundQuantiles(kind: 'cost' | 'time', q: Quantiles): Quantiles {
  const round = kind === 'cost' ? (x: number) => roundSignificant(x) : roundHalf;
  return { p10: round(q.p10), p50: round(q.p50), p90: round(q.p90) };
}
