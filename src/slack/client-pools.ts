// Bolt keeps a WebClient pool per workspace (App.clients, keyed by team or enterprise id) for the life of
// the process; each holds a client of ~20 KB (every API method bound), so a process serving thousands of
// workspaces grew by ~100 MB per 5,000 of them (bench:scale heap snapshot: 4,514 WebClients, 1.27 M bound
// functions). This keeps the pools of the most recently seen workspaces and lets the rest go.
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';

/** Pools kept: a workspace seen again after it was let go gets a new client (tens of microseconds). */
export const MAX_CLIENT_POOLS = 500;

/**
 * A global middleware that forgets the least recently used workspaces' pools beyond `max`. The request's
 * own client is already in its arguments, so dropping its pool never affects a request in flight.
 */
export function boundClientPools(app: App, max = MAX_CLIENT_POOLS): Middleware<AnyMiddlewareArgs> {
  const pools = (app as unknown as { clients?: Record<string, unknown> }).clients;
  const recent = new Map<string, true>();
  return async ({ context, next }) => {
    // The key Bolt files the pool under: the team id when the authorization has one, else the enterprise id.
    const key = context.teamId ?? context.enterpriseId;
    if (pools && key) {
      recent.delete(key);
      recent.set(key, true);
      if (recent.size > max) {
        const oldest = recent.keys().next().value!;
        recent.delete(oldest);
        delete pools[oldest];
      }
    }
    await next();
  };
}
