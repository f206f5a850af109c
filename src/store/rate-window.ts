// The sliding-hour estimate both engines' rate limits use, in one place so SQLite and PostgreSQL
// refuse exactly the same hits: one counter row per user and hour, the previous hour weighted. Each
// engine counts a hit in one statement: (hits this hour + 1) + hits last hour × previousWeight(now).
export const WINDOW_MS = 3_600_000;

/** How much the previous window still weighs at `now`: the share of it left inside the sliding hour. */
export function previousWeight(now: number): number {
  return 1 - (now % WINDOW_MS) / WINDOW_MS;
}

/** The start of the hour-long window `now` falls in. */
export function windowStart(now: number): number {
  return now - (now % WINDOW_MS);
}
