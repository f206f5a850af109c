// Row shapes both engines read the same way: 0/1/NULL flags as booleans, and a resolved forecast as
// the query returns it (the adoption answers are flags there too).
import type { ResolvedForecast } from './types.js';

export type RawForecast = Omit<ResolvedForecast, 'followedAlternative'> & { followedAlternative: number | null };

/** A 0/1 column that may be NULL ("not answered"). */
export function flag(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}

export function toForecast(r: RawForecast): ResolvedForecast {
  return { ...r, followedAlternative: flag(r.followedAlternative) };
}
