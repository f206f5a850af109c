// Starts the service: store → knowledge → consult service → Slack and/or Teams → one HTTP server.
// Returns a handle so main.ts (signals) and tests (a free port, an injected clock) can stop it.
import type { Config } from '../config.js';
import { topicIndex } from '../consult/topic-index.js';
import { loadKnowledge, type KnowledgeBase } from '../knowledge/load.js';
import { createLogger, type Logger } from '../log.js';
import { countingFetch, countingPost, createMetrics } from '../metrics.js';
import { undiciFetch, undiciPost } from '../undici-fetch.js';
import { KNOWLEDGE_DIR, KNOWLEDGE_SNAPSHOT } from '../paths.js';
import { ConsultService, systemClock, type Clock } from '../service/consult-service.js';
import { createSlackApp, INSTALL_PATH, REDIRECT_PATH, type SlackSurface } from '../slack/app.js';
import { createSlackOAuth } from '../slack/oauth/index.js';
import type { DigestView } from '../present/digest.js';
import { ensureDigestJobs, housekeeping, jobHandlers, type Sender } from '../schedule/jobs.js';
import { Scheduler } from '../schedule/scheduler.js';
import { WEEKDAYS } from '../schedule/digest-time.js';
import { slackSender } from '../slack/sender.js';
import { verifySlackSignature } from '../slack/signature.js';
import { openStore, type Store } from '../store/index.js';
import { checkSlackBody, isSslCheck, readBody, sendJson } from './body.js';
import { createHttpServer, type Handler } from './http.js';

/** Long enough after start for a readiness probe and the first requests to have been answered. */
const DETECTION_WARM_UP_MS = 1_000;

export interface Running {
  port: number;
  scheduler: Scheduler;
  /** One scheduler pass now (tests drive time through the injected clock). */
  runDueJobs(): Promise<number>;
  slack: SlackSurface | null;
  logger: Logger;
  /** Graceful: stop accepting, let in-flight handlers finish (bounded), close the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<Running> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const clock = options.clock ?? systemClock;
  const kb = loadKnowledge(config.KNOWLEDGE_DIR ?? KNOWLEDGE_DIR, { snapshot: KNOWLEDGE_SNAPSHOT });
  const store = await openStore({ url: config.databaseUrl, path: config.databasePath }, { now: clock.now(), backgroundCheckpoints: true });
  // A start that stops after this (a refused bot token, a port already taken, …) leaves nothing open.
  try {
    return await serve(config, store, logger, clock, kb);
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function serve(config: Config, store: Store, logger: Logger, clock: Clock, kb: KnowledgeBase): Promise<Running> {
  // A gauge the database cannot answer right now reads NaN; /metrics itself keeps answering.
  const orNaN = <T>(read: () => Promise<T>) => () => read().catch(() => Number.NaN);
  const metrics = createMetrics({
    schedulerLagSeconds: orNaN(async () => (await store.jobs.lag(clock.now())) / 1000),
    openPredictions: orNaN(() => store.consultations.countOpenPredictionsForOperator()),
    latestBrier: orNaN(() => store.consultations.brierForOperator()),
    databaseUp: () => store.check().then(() => 1, () => 0),
  });
  const service = new ConsultService(kb, store, clock, undefined, (topic, surface) => metrics.consultations.inc({ topic, surface }));
  const senders: Partial<Record<'slack' | 'teams' | 'cli', Sender>> = {};
  const jobDeps = {
    store,
    clock,
    senders,
    digestDefaults: {
      weekday: WEEKDAYS.indexOf(config.DIGEST_DAY) + 1,
      hour: config.DIGEST_HOUR,
      minute: 0,
      timeZone: config.DIGEST_TZ,
      ...(config.DIGEST_CHANNEL ? { channel: config.DIGEST_CHANNEL } : {}),
    },
    // vega is loaded on the first digest, not at start: it is the heaviest import by far.
    renderChart: async (d: DigestView) => (await import('../chart/calibration-chart.js')).renderCalibrationPng(d.accuracy.calibration, `Calibration up to ${d.weekLabel}`),
  };
  const handlers = jobHandlers(jobDeps);
  const sweep = { after: '' };
  const scheduler = new Scheduler({
    jobs: store.jobs,
    clock,
    logger: logger.child({ component: 'scheduler' }),
    handlers,
    // A bounded step of housekeeping before every pass (digests queued for new workspaces a page at a
    // time, old dedupe keys and rate counters dropped a batch at a time): a pass costs the same however
    // many workspaces, keys and counters there are.
    beforePass: () => housekeeping(jobDeps, sweep),
  });
  const deps = {
    kb,
    service,
    store,
    logger,
    checkInDays: config.CHECK_IN_DAYS,
    // Counted in the database, so the limit holds whichever replica takes the request.
    allowConsultation: (w: string, u: string) => store.rateLimits.hit(w, u, clock.now(), config.RATE_LIMIT_PER_HOUR),
    onDigestSettingsChanged: async (workspace: string) => {
      await store.jobs.cancelPending(workspace, 'digest');
      await ensureDigestJobs(jobDeps, workspace);
    },
  };

  const routes: Record<string, Handler> = {
    'GET /healthz': (_req, res) => sendJson(res, 200, { ok: true }),
    'GET /readyz': async (_req, res) => {
      const checks = { database: false, migrations: false, knowledge: kb.topics.size > 0 };
      try {
        const { pendingMigrations } = await store.check();
        checks.database = true;
        checks.migrations = pendingMigrations === 0;
      } catch {
        // reported as not ready below
      }
      const ready = Object.values(checks).every(Boolean);
      sendJson(res, ready ? 200 : 503, { ready, checks, knowledgeVersion: kb.version });
    },
    'GET /metrics': async (_req, res) => {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
    },
  };

  const slackFetch = countingFetch(metrics, 'slack', undiciFetch);
  const oauth = config.slack?.oauth
    ? createSlackOAuth(config.slack.oauth, { store, logger, now: () => clock.now(), apiUrl: config.slack.apiUrl, fetch: slackFetch })
    : null;
  const slack = config.slack
    ? createSlackApp(
        {
          signingSecret: config.slack.signingSecret,
          ...(config.slack.botToken ? { botToken: config.slack.botToken } : {}),
          ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
          ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
          ...(oauth ? { oauth: oauth.options } : {}),
          fetch: slackFetch,
          post: countingPost(metrics, 'slack', undiciPost),
        },
        deps,
        logger,
      )
    : null;
  // The bot token is checked before anything listens: a refused token or an unreachable Slack stops the
  // start with a sentence.
  await slack?.init();
  if (slack) senders.slack = slackSender(slack.client, logger, oauth?.tokenFor);
  if (slack?.requestListener && oauth) {
    // Install start and redirect: Bolt's InstallProvider answers both (signed state + cookie).
    const listener = slack.requestListener;
    routes[`GET ${INSTALL_PATH}`] = (req, res) => listener(req, res);
    routes[`GET ${REDIRECT_PATH}`] = (req, res) => listener(req, res);
  }
  if (slack?.requestListener) {
    const listener = slack.requestListener;
    const secret = config.slack!.signingSecret;
    routes['POST /slack/events'] = async (req, res) => {
      const raw = await readBody(req);
      const contentType = String(req.headers['content-type'] ?? '');
      // Slack's certificate check comes unsigned, and is answered here without touching anything else.
      if (isSslCheck(contentType, raw)) return sendJson(res, 200, { ok: true });
      // Wall time, not the app's clock: the sender's timestamp is a wall-clock reading too.
      verifySlackSignature(secret, req.headers, raw, Date.now());
      checkSlackBody(contentType, raw);
      // Bolt reuses an already-buffered body instead of reading the stream again.
      Object.assign(req, { rawBody: raw });
      listener(req, res);
    };
  }

  if (config.teams) {
    // Loaded only when configured: botbuilder costs ~0.3 s of start-up.
    const { createTeamsSurface } = await import('../teams/surface.js');
    const teams = createTeamsSurface(config.teams, deps, logger);
    senders.teams = teams.sender;
    routes['POST /api/messages'] = teams.handle;
  }

  const http = createHttpServer(routes, logger, (route, seconds) => metrics.handlerSeconds.observe({ route }, seconds));
  const port = await http.listen(config.PORT, config.host);
  await slack?.start();
  if (config.SCHEDULER_INTERVAL_MS > 0) scheduler.start(config.SCHEDULER_INTERVAL_MS);
  // Topic detection's search index takes ~50–250 ms to build: after start, so neither start-up nor, usually,
  // the first question waits for it (a question sooner builds it on the spot).
  const warmUp = setTimeout(() => topicIndex(kb), DETECTION_WARM_UP_MS).unref();
  logger.info({ port, host: config.host, slack: slack ? (oauth ? 'http, oauth installs' : slack.requestListener ? 'http' : 'socket-mode') : 'off', database: store.engine, teams: config.teams ? (config.teams.local ? 'local, auth off' : 'on') : 'off', knowledgeVersion: kb.version }, 'reality-check ready');

  let stopped = false;
  return {
    port,
    slack,
    logger,
    scheduler,
    runDueJobs: () => scheduler.tick(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearTimeout(warmUp);
      await http.close(config.SHUTDOWN_GRACE_MS);
      await scheduler.stop();
      await slack?.stop(config.SHUTDOWN_GRACE_MS);
      await store.close();
      logger.info('reality-check stopped');
    },
  };
}
