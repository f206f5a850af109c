// Prometheus metrics (prom-client) on a registry of our own, so several app instances in one test
// process never collide. What each metric means is in the README's runbook.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JsonPost } from './undici-fetch.js';

export interface Metrics {
  registry: Registry;
  consultations: Counter<'topic' | 'surface'>;
  handlerSeconds: Histogram<'route'>;
  apiRequests: Counter<'platform' | 'method' | 'outcome'>;
  apiRetries: Counter<'platform' | 'method'>;
}

export interface MetricSources {
  schedulerLagSeconds(): Promise<number>;
  openPredictions(): Promise<number>;
  latestBrier(): Promise<number | null>;
  /** 1 while the database answers, 0 while it does not. */
  databaseUp(): Promise<number>;
}

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'reality_check_' });
  const consultations = new Counter({ name: 'reality_check_consultations_total', help: 'Consultations saved, by topic and surface', labelNames: ['topic', 'surface'] as const, registers: [registry] });
  const handlerSeconds = new Histogram({
    name: 'reality_check_http_handler_seconds',
    help: 'Time from request to response, by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const apiRequests = new Counter({ name: 'reality_check_platform_api_requests_total', help: 'Slack/Teams API HTTP attempts by outcome (ok, api_error, rate_limited, http_error, network_error)', labelNames: ['platform', 'method', 'outcome'] as const, registers: [registry] });
  const apiRetries = new Counter({ name: 'reality_check_platform_api_retries_total', help: 'Failed Slack/Teams API attempts of a kind the client retries (429, 5xx, network)', labelNames: ['platform', 'method'] as const, registers: [registry] });
  new Gauge({ name: 'reality_check_scheduler_lag_seconds', help: 'How overdue the oldest due job is', registers: [registry], async collect() { this.set(await sources.schedulerLagSeconds()); } });
  new Gauge({ name: 'reality_check_open_predictions', help: 'Predictions not yet resolved, all workspaces', registers: [registry], async collect() { this.set(await sources.openPredictions()); } });
  new Gauge({ name: 'reality_check_database_up', help: 'Whether the database answers (1) or not (0)', registers: [registry], async collect() { this.set(await sources.databaseUp()); } });
  new Gauge({
    name: 'reality_check_brier_score',
    help: 'Brier score (0-1 binary form) over every resolved prediction, all workspaces; NaN until one is resolved',
    registers: [registry],
    async collect() {
      this.set((await sources.latestBrier()) ?? Number.NaN);
    },
  });
  return { registry, consultations, handlerSeconds, apiRequests, apiRetries };
}

/** Counts one Web API attempt by its HTTP status, or as a network error. */
function countAttempt(metrics: Metrics, platform: string, url: string, status: number | 'network_error'): void {
  const method = url.split('/').pop()?.split('?')[0] ?? 'unknown';
  const outcome = status === 'network_error' ? status : status === 429 ? 'rate_limited' : status !== 200 ? 'http_error' : 'ok';
  metrics.apiRequests.inc({ platform, method, outcome });
  if (status === 'network_error' || status === 429 || status >= 500) metrics.apiRetries.inc({ platform, method });
}

/** A fetch that counts every Web API attempt; the Slack client retries on top of it. */
export function countingFetch(metrics: Metrics, platform: string, inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    try {
      const response = await inner(input, init);
      countAttempt(metrics, platform, url, response.status);
      return response;
    } catch (error) {
      countAttempt(metrics, platform, url, 'network_error');
      throw error;
    }
  };
}

/** The same counting around the slash command's JSON post (slack/json-call). */
export function countingPost(metrics: Metrics, platform: string, inner: JsonPost): JsonPost {
  return async (url, headers, body, timeoutMs) => {
    try {
      const response = await inner(url, headers, body, timeoutMs);
      countAttempt(metrics, platform, url, response.status);
      return response;
    } catch (error) {
      countAttempt(metrics, platform, url, 'network_error');
      throw error;
    }
  };
}
