// The bot's turn logic on botbuilder's ActivityHandler: record where we can reach people, drop
// redeliveries, then route a card submit by its action or a text message by its words.
import { ActivityHandler, type InvokeResponse, type TurnContext } from 'botbuilder';
import { renderHelpCard } from './cards/help.js';
import { turnFacts, type TeamsDeps } from './deps.js';
import { handleCheckInSubmit } from './handlers/check-in.js';
import { handleConsultSubmit, startConsultation } from './handlers/consult.js';
import { handleText } from './handlers/message.js';
import { handleFetchTask, handleSubmitAction, INVOKES } from './handlers/message-action.js';
import { handleExplain, handleExportAdr } from './handlers/verdict.js';
import { recordReferences } from './references.js';
import { replyCard, replyText } from './reply.js';
import { ACTIONS, parseSubmit } from './submit-data.js';

async function handleSubmit(ctx: TurnContext, deps: TeamsDeps, value: unknown): Promise<void> {
  const data = parseSubmit(value);
  if (!data) {
    await replyText(ctx, 'That card is out of date or not one of mine. Ask me again and I will send a fresh one.');
    return;
  }
  switch (data.rc) {
    case ACTIONS.consultSubmit:
    case ACTIONS.consultSwitch:
      return handleConsultSubmit(ctx, deps, data);
    case ACTIONS.startTopic: {
      const topic = deps.kb.topics.get(data.topic);
      if (!topic) return replyText(ctx, 'That topic no longer exists. Write "help" for the current list.');
      return startConsultation(ctx, deps, `Should we adopt ${topic.title.toLowerCase()}?`, topic.id);
    }
    case ACTIONS.explain:
      return handleExplain(ctx, deps, data.id);
    case ACTIONS.exportAdr:
      return handleExportAdr(ctx, deps, data.id);
    case ACTIONS.checkInSubmit:
      return handleCheckInSubmit(ctx, deps, data);
  }
}

export class RealityCheckBot extends ActivityHandler {
  constructor(private readonly deps: TeamsDeps) {
    super();
    this.onTurn(async (ctx, next) => {
      await recordReferences(deps.store, turnFacts(ctx.activity), ctx.activity, deps.service.clock.now());
      await next();
    });
    this.onMessage(async (ctx, next) => {
      await this.handleMessage(ctx);
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      const botId = ctx.activity.recipient?.id;
      if (ctx.activity.membersAdded?.some((m) => m.id === botId)) {
        const kind = turnFacts(ctx.activity).kind;
        await replyCard(ctx, renderHelpCard(deps.kb, { inChannel: kind !== 'personal', intro: 'Thanks for adding reality-check!' }));
      }
      await next();
    });
  }

  /** The message action's dialog ("Reality-check this"); every other invoke as ActivityHandler answers it. */
  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    if (ctx.activity.name === INVOKES.fetchTask) return handleFetchTask(ctx, this.deps);
    if (ctx.activity.name === INVOKES.submitAction) return handleSubmitAction(ctx, this.deps);
    return super.onInvokeActivity(ctx);
  }

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const { activity } = ctx;
    const facts = turnFacts(activity);
    // The Bot Connector retries a delivery it thinks failed; the same activity id is the same message.
    if (activity.id && !(await this.deps.store.events.markProcessed(facts.workspace, `teams:${facts.conversationId}:${activity.id}`, this.deps.service.clock.now()))) return;
    if (activity.value !== undefined && activity.value !== null) {
      await handleSubmit(ctx, this.deps, activity.value);
      return;
    }
    await handleText(ctx, this.deps);
  }
}
