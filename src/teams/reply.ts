// Sending and updating messages in the current turn: a card as a reply, a card put in place of the
// one whose button was pressed (PUT …/activities/{replyToId}), or plain text that renders no markdown.
import type { Activity, TurnContext } from 'botbuilder';
import { attachment, type AdaptiveCard } from './cards/types.js';

export function cardActivity(content: AdaptiveCard, extra: Partial<Activity> = {}): Partial<Activity> {
  return { type: 'message', attachments: [attachment(content)], ...extra };
}

export async function replyCard(ctx: TurnContext, content: AdaptiveCard): Promise<void> {
  await ctx.sendActivity(cardActivity(content));
}

/** Plain text: what users wrote (echoed in errors, lists) cannot turn into formatting or mentions. */
export async function replyText(ctx: TurnContext, text: string): Promise<void> {
  await ctx.sendActivity({ type: 'message', text, textFormat: 'plain' });
}

/** Replaces the card that sent this submit; when the client did not say which one, sends a new card. */
export async function updateCard(ctx: TurnContext, content: AdaptiveCard): Promise<void> {
  const id = ctx.activity.replyToId;
  if (!id) {
    await replyCard(ctx, content);
    return;
  }
  await ctx.updateActivity(cardActivity(content, { id }));
}
