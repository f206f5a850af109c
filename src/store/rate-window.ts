// The sliding-hour estimate both engines' rate limits use, in one place so SQLite and PostgreSQL
// refuse exactly the same hits: one counter row per user and hour, the previous hour weighted.
export const WINDOW_MS = 3_600_000;

/** The sliding-window estimate both engines use: the previous window weighs what is left of it. */
export function slidingCount(current: number, previous: number, now: number): number {
  const elapsed = (now % WINDOW_MS) / WINDOW_MS;
  return current + previous * (1 - elapsed);
}

/** The start of the hour-long window `now` falls in. */
export function windowStart(now: number): number {
  return now - (now % WINDOW_MS);
}
