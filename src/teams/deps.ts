// What every Teams handler needs (passed in by the composition root), and the facts of a turn read
// once from the activity: tenant (our workspace), user, kind of conversation, Teams channel.
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { SurfaceDeps } from '../service/surface-deps.js';

/** The shared surface dependencies, under the name this surface's code uses. */
export type TeamsDeps = SurfaceDeps;

export const PLATFORM = 'teams';

const channelDataSchema = z.looseObject({
  tenant: z.looseObject({ id: z.string().min(1) }).optional(),
  channel: z.looseObject({ id: z.string().min(1) }).optional(),
  team: z.looseObject({ id: z.string().min(1) }).optional(),
  teamsChannelId: z.string().min(1).optional(),
});

export interface TurnFacts {
  /** The Teams tenant id (the emulator has none: then its channel id, e.g. "emulator"). */
  workspace: string;
  /** The user's Entra object id when Teams sends it (stable across chats), else the channel-specific id. */
  userId: string;
  userName: string;
  kind: 'personal' | 'channel' | 'groupChat';
  /** The Teams channel id ("19:…@thread.tacv2") in a team channel. */
  teamsChannel: string | null;
  teamId: string | null;
  conversationId: string;
}

export function turnFacts(activity: Partial<Activity>): TurnFacts {
  const data = channelDataSchema.safeParse(activity.channelData ?? {});
  const channelData = data.success ? data.data : {};
  const conversation = activity.conversation;
  const type = conversation?.conversationType;
  const teamsChannel = channelData.channel?.id ?? channelData.teamsChannelId ?? null;
  const kind = type === 'channel' || teamsChannel ? 'channel' : type === 'groupChat' || conversation?.isGroup ? 'groupChat' : 'personal';
  return {
    workspace: conversation?.tenantId ?? channelData.tenant?.id ?? activity.channelId ?? 'unknown',
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? 'unknown',
    userName: activity.from?.name ?? 'someone',
    kind,
    teamsChannel: kind === 'channel' ? teamsChannel : null,
    teamId: channelData.team?.id ?? null,
    conversationId: conversation?.id ?? '',
  };
}

