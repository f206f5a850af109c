// "digest monday 09:00 Europe/Berlin" in a team channel sends the weekly accuracy digest there;
// "digest" alone says where it goes. The change is announced in the channel, so it is never silent.
import type { TurnContext } from 'botbuilder';
import { parseDigestSchedule, WEEKDAYS } from '../../schedule/digest-time.js';
import { turnFacts, type TeamsDeps } from '../deps.js';
import { replyText } from '../reply.js';

const EXAMPLE = 'digest monday 09:00 Europe/Berlin';
const hhmm = (h: number, m: number): string => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

export async function handleDigestCommand(ctx: TurnContext, deps: TeamsDeps, args: string[]): Promise<void> {
  const facts = turnFacts(ctx.activity);
  const words = args[0]?.toLowerCase() === 'here' ? args.slice(1) : args;
  if (words.length === 0 && args.length === 0) {
    const s = await deps.store.settings.getDigest(facts.workspace);
    await replyText(
      ctx,
      s
        ? `The weekly digest goes to ${s.channel === facts.teamsChannel ? 'this channel' : `channel ${s.channel}`} on ${WEEKDAYS[s.weekday - 1]} at ${hhmm(s.hour, s.minute)} ${s.timeZone}.`
        : `No digest channel is set. In the channel where it should go, mention me with: ${EXAMPLE}`,
    );
    return;
  }
  if (!facts.teamsChannel) {
    await replyText(ctx, `The digest goes to a team channel: mention me there with "${EXAMPLE}".`);
    return;
  }
  const schedule = parseDigestSchedule(words.length ? words : ['monday', '09:00', 'UTC']);
  if (typeof schedule === 'string') {
    await replyText(ctx, `${schedule} Example: ${EXAMPLE}`);
    return;
  }
  await deps.store.settings.setDigest(facts.workspace, { channel: facts.teamsChannel, platform: 'teams', ...schedule }, deps.service.clock.now());
  await deps.onDigestSettingsChanged?.(facts.workspace);
  deps.logger.info({ workspace: facts.workspace, channel: facts.teamsChannel, by: facts.userId }, 'digest schedule changed');
  await replyText(ctx, `Done: ${facts.userName} set the weekly accuracy digest to this channel, ${WEEKDAYS[schedule.weekday - 1]} at ${hhmm(schedule.hour, schedule.minute)} ${schedule.timeZone}.`);
}
