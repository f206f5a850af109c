// The Slack surface: a Bolt 5 app on its own HTTP receiver (or Socket Mode), with listeners per kind.
// Errors from any listener land in one place and reach the user as one friendly line.
import { App, HTTPReceiver, type InstallationStore } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { AppError, ConfigError, isAppError } from '../errors.js';
import { boltLogger, type Logger } from '../log.js';
import type { SlackDeps } from './deps.js';
import * as checkInActions from './listeners/actions/check-in.js';
import * as dmActions from './listeners/actions/dm.js';
import * as modalTopic from './listeners/actions/modal-topic.js';
import * as startTopic from './listeners/actions/start-topic.js';
import * as verdictActions from './listeners/actions/verdict.js';
import * as realityCheck from './listeners/commands/reality-check.js';
import * as appHome from './listeners/events/app-home.js';
import * as messageIm from './listeners/events/message-im.js';
import * as uninstall from './listeners/events/uninstall.js';
import * as messageShortcut from './listeners/shortcuts/reality-check-message.js';
import * as checkInSubmit from './listeners/views/check-in-submit.js';
import * as consultSubmit from './listeners/views/consult-submit.js';
import { shareClientPools, type ClientCache } from './client-pools.js';
import type { JsonPost } from './json-call.js';
import { ListenerRouter } from './router.js';
import { causedByUnavailableDatabase, UNAVAILABLE_TEXT, unavailableMiddleware } from './unavailable.js';

/** What the code registers; the manifest test checks manifest.json declares exactly these. */
export const SLACK_COMMANDS = [realityCheck.COMMAND] as const;
export const SLACK_EVENTS = ['app_home_opened', 'message.im', 'app_uninstalled', 'tokens_revoked'] as const;
/** Message shortcuts by callback id; the manifest test checks manifest.json declares exactly these. */
export const SLACK_MESSAGE_SHORTCUTS = [messageShortcut.SHORTCUT] as const;
/** The bot scopes an OAuth install asks for; the manifest test checks manifest.json asks for the same. */
export const SLACK_BOT_SCOPES = ['commands', 'chat:write', 'chat:write.public', 'im:history', 'im:write', 'users:read', 'files:write'] as const;
export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  installationStore: InstallationStore;
  /** Told when a workspace uninstalls the app or revokes its tokens. */
  onUninstalled(workspace: { teamId?: string; enterpriseId?: string; enterpriseInstall: boolean }): Promise<void>;
}

export interface SlackOptions {
  /** One workspace's bot token; absent when workspaces install by OAuth. */
  botToken?: string;
  oauth?: SlackOAuthOptions;
  signingSecret: string;
  appToken?: string;
  apiUrl?: string;
  /** Wraps every Web API attempt (metrics). */
  fetch?: typeof fetch;
  /** Sends the JSON-bodied calls (slack/json-call: the slash command's views.open, the verdict's posts), wrapped the same way. */
  post?: JsonPost;
}

export interface SlackSurface {
  app: App;
  /** The HTTP receiver's listener (undefined in Socket Mode), for requests whose signature was checked already. */
  requestListener?: HTTPReceiver['requestListener'];
  client: WebClient;
  /** The workspaces' real WebClients, built only when a listener calls one (slack/client-pools). */
  clients: ClientCache;
  /**
   * Checks the bot token with auth.test (single-workspace mode; nothing to check with OAuth installs). Bolt
   * would otherwise call it from its constructor and leave the promise unwatched until the first request:
   * a refused token or an unreachable API crashed the process with a stack trace.
   */
  init(): Promise<void>;
  start(): Promise<void>;
  /** Waits (up to graceMs) for listeners still working after their ack, then stops. */
  stop(graceMs?: number): Promise<void>;
}

export function createSlackApp(options: SlackOptions, deps: SlackDeps, logger: Logger): SlackSurface {
  const log = boltLogger(logger);
  const clientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/` } : {}),
    // Retries 429 (after Retry-After), 5xx and network errors a few times, quickly: a user is waiting.
    retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 2000, randomize: true },
    timeout: 10_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const receiver = options.appToken
    ? undefined
    : new HTTPReceiver({
        signingSecret: options.signingSecret,
        // The server checks every request's signature on its raw bytes before handing it here
        // (server/start.ts, slack/signature.ts); a second check would only cost time.
        signatureVerification: false,
        endpoints: '/slack/events',
        logger: log,
        ...(options.oauth
          ? {
              clientId: options.oauth.clientId,
              clientSecret: options.oauth.clientSecret,
              // Bolt's signed state plus a cookie: start and redirect may land on different replicas.
              stateSecret: options.oauth.stateSecret,
              installationStore: options.oauth.installationStore,
              scopes: [...SLACK_BOT_SCOPES],
              installerOptions: {
                installPath: INSTALL_PATH,
                redirectUriPath: REDIRECT_PATH,
                directInstall: true,
                stateVerification: true,
                clientOptions: clientOptions.slackApiUrl ? { slackApiUrl: clientOptions.slackApiUrl } : {},
              },
            }
          : {}),
        processBeforeResponse: false,
        // Bolt answers 500 when a correctly signed but malformed payload breaks it before any listener:
        // that is the sender's fault, so it gets a 400 (logged), never a 5xx.
        processEventErrorHandler: async ({ error, request, response }) => {
          if (response.headersSent) return false;
          // The installation lookup could not reach the database: a slash command gets words, anything
          // else a 503, which Slack retries for events.
          if (causedByUnavailableDatabase(error)) {
            logger.warn({ err: error.message }, 'database unavailable while authorizing a request');
            const command = String((request as { rawBody?: unknown }).rawBody ?? '').includes('command=');
            response.writeHead(command ? 200 : 503, { 'content-type': 'application/json' });
            response.end(JSON.stringify(command ? { response_type: 'ephemeral', text: UNAVAILABLE_TEXT } : { error: 'database unavailable, try again' }));
            return false;
          }
          const unauthorised = (error as { code?: string }).code === 'slack_bolt_authorization_error';
          logger.warn({ err: error.message }, unauthorised ? 'authorization failed' : 'malformed Slack payload refused');
          response.writeHead(unauthorised ? 401 : 400, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: unauthorised ? 'unauthorized' : 'malformed payload' }));
          return false;
        },
      });
  const app = new App({
    ...(options.botToken ? { token: options.botToken } : {}),
    ...(receiver ? { receiver } : { socketMode: true, appToken: options.appToken!, signingSecret: options.signingSecret }),
    logger: log,
    clientOptions,
    // Questionnaire state lives in SQLite; Bolt's in-memory conversation store would only cost time.
    convoStore: false,
    // Gives the error handler the request body, so the person who clicked can be told what went wrong.
    extendedErrorHandler: true,
    // auth.test runs in init(), where its failure can be told in words (see SlackSurface.init).
    deferInitialization: true,
  });

  // Every listener's work, including what it does after ack(), runs inside this middleware, so a
  // graceful stop can wait for it instead of cutting a verdict post in half.
  let busy = 0;
  const idle: Array<() => void> = [];
  app.use(async ({ next }) => {
    busy++;
    try {
      await next();
    } finally {
      busy--;
      if (busy === 0) idle.splice(0).forEach((resolve) => resolve());
    }
  });

  app.use(unavailableMiddleware(logger));
  const clients = shareClientPools(app);

  realityCheck.register(app, deps, options.post);
  messageShortcut.register(app, deps, options.post);
  if (options.oauth) uninstall.register(app, options.oauth.onUninstalled, deps.logger);
  messageIm.register(app, deps, options.post);
  appHome.register(app, deps, options.post);
  // Block actions and view submissions reach Bolt as one listener each (see router.ts).
  const router = new ListenerRouter();
  consultSubmit.register(router, deps, options.post);
  startTopic.register(router, deps, options.post);
  dmActions.register(router, deps, options.post);
  checkInSubmit.register(router, deps, options.post);
  modalTopic.register(router, deps);
  verdictActions.register(router, deps, options.post);
  checkInActions.register(router, deps, options.post);
  router.install(app);

  const onError = async ({ error, body, context }: { error: Error; body: unknown; context: { botToken?: string } }): Promise<void> => {
    const original = (error as { original?: unknown }).original ?? error;
    const payload = body as { user?: { id?: string }; user_id?: string; event?: { user?: string } } | undefined;
    if (isAppError(original)) {
      logger.info({ code: original.code }, original.message);
      const user = payload?.user?.id ?? payload?.user_id ?? payload?.event?.user;
      if (user) {
        // The token of the workspace the request came from (one per workspace when installed by OAuth).
        await app.client.chat.postMessage({ ...(context.botToken ? { token: context.botToken } : {}), channel: user, text: original.message }).catch((e: Error) => logger.warn({ err: e.message }, 'could not tell the user about an error'));
      }
      return;
    }
    logger.error({ err: original instanceof Error ? { message: original.message, stack: original.stack } : String(original) }, 'slack handler failed');
  };
  app.error(onError);

  return {
    app,
    ...(receiver ? { requestListener: receiver.requestListener } : {}),
    client: app.client,
    clients,
    init: async () => {
      try {
        await app.init();
      } catch (error) {
        throw tokenCheckFailed(error, app.client.slackApiUrl);
      }
    },
    start: async () => {
      if (!receiver) await app.start();
    },
    stop: async (graceMs = 10_000) => {
      if (busy > 0) {
        await new Promise<void>((resolve) => {
          idle.push(resolve);
          setTimeout(resolve, graceMs).unref();
        });
      }
      if (!receiver) await app.stop();
    },
  };
}

/** Why the bot token could not be checked at start, in words: refused by Slack, or Slack not reached. */
function tokenCheckFailed(error: unknown, apiUrl: string): AppError {
  const slackError = (error as { data?: { error?: unknown } }).data?.error;
  if (typeof slackError === 'string') {
    return new ConfigError(`Slack refused SLACK_BOT_TOKEN (auth.test: ${slackError}). Copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page.`, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('PLATFORM_FAILED', `could not reach Slack's API at ${apiUrl} to check SLACK_BOT_TOKEN (${reason}); check the network, or SLACK_API_URL if it is set.`, { cause: error });
}
