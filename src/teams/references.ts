// ConversationReferences for proactive messages, stored per tenant: `user:<id>` (the 1:1 chat),
// `member:<id>` (where we last saw a user outside a 1:1), `channel:<id>`, and `tenant` (any, for its serviceUrl).
import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { Store } from '../store/index.js';
import { PLATFORM, type TurnFacts } from './deps.js';

export const REF_KEYS = {
  user: (userId: string) => `user:${userId}`,
  member: (userId: string) => `member:${userId}`,
  channel: (channelId: string) => `channel:${channelId}`,
  tenant: 'tenant',
} as const;

const account = z.looseObject({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() });
const referenceSchema = z.looseObject({
  channelId: z.string().min(1),
  serviceUrl: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1), tenantId: z.string().optional(), conversationType: z.string().optional(), isGroup: z.boolean().optional() }),
  bot: account.optional(),
  user: account.optional(),
  locale: z.string().optional(),
});
/** A reference botbuilder can continue: the fields it reads are checked, the rest passes through. */
export type StoredReference = Partial<ConversationReference> & Pick<ConversationReference, 'channelId' | 'serviceUrl' | 'conversation'>;

/** The reference without the activity id: proactive messages start new messages, they are not replies. */
export function referenceOf(activity: Partial<Activity>): Partial<ConversationReference> {
  const { activityId: _dropped, ...reference } = TurnContext.getConversationReference(activity);
  return reference;
}

/** Called on every incoming activity; cheap upserts keyed by what the scheduler will look for. */
export async function recordReferences(store: Store, facts: TurnFacts, activity: Partial<Activity>, now: number): Promise<void> {
  if (!activity.serviceUrl || !activity.conversation?.id) return;
  const reference = referenceOf(activity);
  const put = (key: string, value: Partial<ConversationReference>): Promise<void> => store.conversations.putReference(facts.workspace, PLATFORM, key, value, now);
  await put(REF_KEYS.tenant, reference);
  const fromUser = activity.from && activity.from.id !== activity.recipient?.id && activity.from.role !== 'bot';
  if (facts.kind === 'personal') {
    if (fromUser) await put(REF_KEYS.user(facts.userId), reference);
    return;
  }
  if (fromUser && activity.type === 'message') await put(REF_KEYS.member(facts.userId), reference);
  if (facts.teamsChannel) await put(REF_KEYS.channel(facts.teamsChannel), reference);
  // Installed in a team: the conversation is the General channel, whose id is the team id.
  if (facts.teamId && activity.type === 'conversationUpdate') await put(REF_KEYS.channel(facts.teamId), reference);
}

export async function loadReference(store: Store, workspace: string, key: string): Promise<StoredReference | undefined> {
  const raw = await store.conversations.getReference(workspace, PLATFORM, key);
  // Validated here: what botbuilder reads is present and of the right type; the rest is Teams' own.
  return referenceSchema.safeParse(raw).success ? (raw as StoredReference) : undefined;
}
