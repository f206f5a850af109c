// Bolt hands every request a WebClient of its workspace's own: App.clients keeps a pool per team or
// enterprise id, and a client per token in it, for the life of the process. A WebClient costs ~170 µs and
// ~26 KB to build (every API method bound). Kept unbounded, 5,000 workspaces held ~100 MB (bench:scale heap
// snapshot: 4,514 WebClients, 1.27 M bound functions); bounded, a process serving more workspaces than it
// kept built one for nearly every request, and each lived long enough to be copied into the old generation.
// Most requests never call a method on it: the slash command and the verdict use only its token and API
// URL (slack/json-call). So each request gets a lazy client: its token, team id and API URL are answered
// at once, and the workspace's real WebClient is built, or found among the most recently used, only when
// something else is asked of it.
import type { App } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';

/** Real clients kept, by team and token: one asked for again after it was let go is built again (~170 µs). */
export const MAX_CLIENTS = 500;

/** The real WebClients behind the lazy ones, least recently used first. */
export class ClientCache {
  private readonly clients = new Map<string, WebClient>();
  /** Real clients built so far (a test's measure of laziness). */
  built = 0;

  constructor(private readonly max = MAX_CLIENTS) {}

  get size(): number {
    return this.clients.size;
  }

  get(token: string, options: WebClientOptions): WebClient {
    // An org-wide install's one token serves many teams; each team's client adds its own team_id to calls.
    const key = `${options.teamId ?? ''}\u0000${token}`;
    let client = this.clients.get(key);
    if (client) {
      this.clients.delete(key);
    } else {
      client = new WebClient(token, options);
      this.built++;
      if (this.clients.size >= this.max) this.clients.delete(this.clients.keys().next().value!);
    }
    this.clients.set(key, client);
    return client;
  }
}

/**
 * A client that is the workspace's WebClient to whoever uses it (`instanceof WebClient` holds), but builds
 * it only on first use of anything besides `token`, `teamId` and `slackApiUrl`.
 */
export function lazyClient(token: string, options: WebClientOptions, slackApiUrl: string, cache: ClientCache): WebClient {
  let real: WebClient | undefined;
  const client = (): WebClient => (real ??= cache.get(token, options));
  return new Proxy({} as WebClient, {
    get(_target, property) {
      if (property === 'token') return token;
      if (property === 'teamId') return options.teamId;
      if (property === 'slackApiUrl') return slackApiUrl;
      const c = client();
      const value: unknown = Reflect.get(c, property, c);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(c) : value;
    },
    set: (_target, property, value) => Reflect.set(client(), property, value),
    has: (_target, property) => property in client(),
    getPrototypeOf: () => WebClient.prototype,
  });
}

/**
 * Replaces Bolt's per-workspace pools with one that hands out lazy clients over `cache`. Bolt files a pool
 * under each team or enterprise id and asks it `getOrCreate(token, options)`; every id now gets the same
 * pool, so nothing is kept per workspace but the bounded cache's real clients.
 */
export function shareClientPools(app: App, cache = new ClientCache()): ClientCache {
  const slackApiUrl = app.client.slackApiUrl;
  const pool = { getOrCreate: (token: string, options: WebClientOptions) => lazyClient(token, options, slackApiUrl, cache) };
  const pools = new Proxy({} as Record<string, typeof pool>, {
    get: (_target, id) => (typeof id === 'string' ? pool : undefined),
    set: () => true,
  });
  const bolt = app as unknown as { clients?: unknown };
  if (bolt.clients === undefined) throw new Error("Bolt's App no longer keeps its client pools in `clients`: slack/client-pools.ts needs updating.");
  bolt.clients = pools;
  return cache;
}
