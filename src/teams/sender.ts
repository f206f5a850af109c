// The scheduler's way into Teams: a check-in as a 1:1 message through a stored ConversationReference,
// and the digest as a new post in a team channel (TeamsInfo.sendMessageToTeamsChannel) with its chart.
import { TeamsInfo, type Activity, type CloudAdapter, type ConversationParameters, type TurnContext } from 'botbuilder';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { CheckInView } from '../present/check-in.js';
import type { DigestView } from '../present/digest.js';
import type { Sender } from '../schedule/jobs.js';
import type { Store } from '../store/index.js';
import { renderCheckInCard } from './cards/check-in.js';
import { renderDigestCard } from './cards/digest.js';
import { attachment } from './cards/types.js';
import { PLATFORM } from './deps.js';
import { loadReference, REF_KEYS, referenceOf, type StoredReference } from './references.js';
import { limit } from './text.js';

/** Without an app id (TEAMS_LOCAL) botbuilder still wants a non-empty bot id to create conversations. */
const LOCAL_BOT_ID = 'reality-check-local';

export interface TeamsSenderOptions {
  adapter: CloudAdapter;
  store: Store;
  appId: string | undefined;
  logger: Logger;
  now(): number;
}

/** Proactive turns route errors to onTurnError, which would swallow them; the scheduler must see them to retry. */
async function runProactive(run: (logic: (ctx: TurnContext) => Promise<void>) => Promise<void>, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
  const failure: { error?: unknown } = {};
  await run(async (ctx) => {
    try {
      await logic(ctx);
    } catch (error) {
      failure.error = error;
    }
  });
  if (failure.error !== undefined) throw new AppError('PLATFORM_FAILED', `Teams refused the message: ${failure.error instanceof Error ? failure.error.message : String(failure.error)}`, { cause: failure.error });
}

export function teamsSender(options: TeamsSenderOptions): Sender {
  const { adapter, store, appId, logger } = options;
  const botId = (ref: StoredReference): string => appId ?? ref.bot?.id ?? LOCAL_BOT_ID;

  return {
    async sendCheckIn(target, view: CheckInView) {
      const activity: Partial<Activity> = { type: 'message', summary: `Check-in: what happened after “${limit(view.question, 100)}”?`, attachments: [attachment(renderCheckInCard(view, { viewer: target.userId }))] };
      const personal = await loadReference(store, target.workspace, REF_KEYS.user(target.userId));
      if (personal) {
        await runProactive((logic) => adapter.continueConversationAsync(botId(personal), personal, logic), async (ctx) => void (await ctx.sendActivity(activity)));
        return;
      }
      // Seen only in a channel: open the 1:1 chat (the app is installed in their team, so Teams allows it).
      const member = await loadReference(store, target.workspace, REF_KEYS.member(target.userId));
      if (!member?.user) throw new AppError('PLATFORM_FAILED', `No Teams conversation with user ${target.userId} is known in tenant ${target.workspace}.`);
      const parameters: ConversationParameters = {
        isGroup: false,
        bot: { id: member.bot?.id ?? botId(member), name: member.bot?.name ?? 'reality-check' },
        members: [{ id: member.user.id, name: member.user.name ?? '' }],
        tenantId: target.workspace,
        channelData: { tenant: { id: target.workspace } },
      };
      await runProactive(
        (logic) => adapter.createConversationAsync(botId(member), member.channelId, member.serviceUrl, '', parameters, logic),
        async (ctx) => {
          await store.conversations.putReference(target.workspace, PLATFORM, REF_KEYS.user(target.userId), { ...referenceOf(ctx.activity), user: member.user }, options.now());
          await ctx.sendActivity(activity);
        },
      );
    },

    async postDigest(target, digest: DigestView, png: Buffer | null) {
      const ref = (await loadReference(store, target.workspace, REF_KEYS.channel(target.channel))) ?? await loadReference(store, target.workspace, REF_KEYS.tenant);
      if (!ref) throw new AppError('PLATFORM_FAILED', `No Teams conversation is known in tenant ${target.workspace}; mention the bot in the digest channel once.`);
      // A whole activity by construction; botbuilder's Activity type lists every optional field as required.
      const activity = {
        type: 'message',
        text: digest.lines[0] ?? 'reality-check weekly accuracy digest',
        summary: digest.lines[0] ?? 'reality-check weekly accuracy digest',
        attachments: [
          attachment(renderDigestCard(digest, { withChart: png !== null })),
          // Teams shows a data-URL image attachment inline; bots cannot upload files to a channel directly.
          ...(png ? [{ contentType: 'image/png', contentUrl: `data:image/png;base64,${png.toString('base64')}`, name: `calibration-${digest.weekLabel}.png` }] : []),
        ],
      } as Activity;
      const id = botId(ref);
      await runProactive(
        (logic) => adapter.continueConversationAsync(id, ref, logic),
        async (ctx) => {
          await TeamsInfo.sendMessageToTeamsChannel(ctx, activity, target.channel, id);
        },
      );
      logger.info({ workspace: target.workspace, channel: target.channel, chart: png !== null }, 'teams digest posted');
    },
  };
}
