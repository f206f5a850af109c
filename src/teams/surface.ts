// The Teams surface: a CloudAdapter with ConfigurationBotFrameworkAuthentication (token validation
// with an app id, none with TEAMS_LOCAL), the bot, one onTurnError, the POST /api/messages handler and the Sender.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type TurnContext } from 'botbuilder';
import type { Config } from '../config.js';
import { isAppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Sender } from '../schedule/jobs.js';
import { BodyError, parseJsonObject, readBody } from '../server/body.js';
import { RealityCheckBot } from './bot.js';
import { turnFacts, type TeamsDeps } from './deps.js';
import { botRequest, BotResponse } from './http-bridge.js';
import { teamsSender } from './sender.js';

export type TeamsConfig = NonNullable<Config['teams']>;

export interface TeamsSurface {
  adapter: CloudAdapter;
  /** POST /api/messages */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  sender: Sender;
}

export const SORRY = 'Something went wrong on my side — nothing you did. Please try again in a minute.';

function createAdapter(config: TeamsConfig): CloudAdapter {
  // With no app id botbuilder turns authentication off: that is exactly TEAMS_LOCAL, and config only allows it then.
  const options = config.local
    ? {}
    : {
        MicrosoftAppId: config.appId,
        MicrosoftAppPassword: config.appPassword,
        MicrosoftAppType: config.appType,
        MicrosoftAppTenantId: config.tenantId,
      };
  const credentials = new ConfigurationServiceClientCredentialFactory(options);
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options, credentials));
}

/** The one place a failed turn becomes words: typed errors as they are, anything else as an apology. */
function onTurnError(logger: Logger) {
  return async (ctx: TurnContext, error: Error): Promise<void> => {
    const facts = turnFacts(ctx.activity);
    if (isAppError(error)) logger.info({ code: error.code, workspace: facts.workspace }, error.message);
    else logger.error({ err: { message: error.message, stack: error.stack }, workspace: facts.workspace, activityType: ctx.activity.type }, 'teams turn failed');
    if (ctx.activity.type !== 'message') return; // proactive and system turns have nobody to answer
    await ctx
      .sendActivity({ type: 'message', text: isAppError(error) ? error.message : SORRY, textFormat: 'plain' })
      .catch((e: unknown) => logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'could not tell the user about an error'));
  };
}

export function createTeamsSurface(config: TeamsConfig, deps: TeamsDeps, logger: Logger): TeamsSurface {
  const log = logger.child({ component: 'teams' });
  const adapter = createAdapter(config);
  adapter.onTurnError = onTurnError(log);
  const bot = new RealityCheckBot({ ...deps, logger: log });
  return {
    adapter,
    sender: teamsSender({ adapter, store: deps.store, appId: config.appId, logger: log, now: () => deps.service.clock.now() }),
    async handle(req, res) {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') throw new BodyError(415, 'expected application/json');
      const body = parseJsonObject((await readBody(req)).toString('utf8'));
      // botbuilder throws (a 500) on an activity without a type, and would call the public Bot Connector
      // for one without a serviceUrl: both are refused here as the bad requests they are.
      if (typeof body.type !== 'string' || body.type === '') throw new BodyError(400, 'activity without a type');
      if (typeof body.serviceUrl !== 'string' || !/^https?:\/\//.test(body.serviceUrl)) throw new BodyError(400, 'activity without a serviceUrl');
      const response = new BotResponse(res, log);
      await adapter.process(botRequest(req, body), response, (ctx) => bot.run(ctx));
      response.end();
    },
  };
}
