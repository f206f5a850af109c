// Posting a verdict where the asker chose, and telling them when Slack refused, so a saved
// consultation is never silently lost behind a failed post.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { VerdictView } from '../present/verdict.js';
import { renderVerdictBlocks, verdictFallbackText } from './blocks/verdict.js';
import type { Visibility } from './blocks/modal.js';
import { escapeText, limit } from './escape.js';

/** Where a verdict landed in a channel (a DM verdict is nobody else's to link to). */
export interface PostedVerdict {
  channel: string;
  ts: string;
  threadTs?: string;
}

/**
 * Posts the verdict; returns where it landed in a channel, or null (a DM, or Slack refused). With
 * `threadTs` (a message shortcut), "in a thread" answers in that message's thread.
 */
export async function postVerdict(
  client: WebClient,
  logger: Logger,
  target: { visibility: Visibility; channel: string | null; userId: string; threadTs?: string },
  view: VerdictView,
): Promise<PostedVerdict | null> {
  const blocks = renderVerdictBlocks(view, { askedBy: target.userId });
  const text = verdictFallbackText(view);
  try {
    if (target.visibility === 'me' || !target.channel) {
      await client.chat.postMessage({ channel: target.userId, blocks, text });
      return null;
    } else if (target.visibility === 'thread') {
      const threadTs = target.threadTs ?? (await client.chat.postMessage({
        channel: target.channel,
        text: limit(`<@${target.userId}> asked reality-check: “${escapeText(view.question)}” — ${view.verdictLabel}. Details in the thread.`, 3000),
      })).ts!;
      const posted = await client.chat.postMessage({ channel: target.channel, thread_ts: threadTs, blocks, text });
      return posted.ts ? { channel: target.channel, ts: posted.ts, threadTs } : null;
    } else {
      const posted = await client.chat.postMessage({ channel: target.channel, blocks, text });
      return posted.ts ? { channel: target.channel, ts: posted.ts } : null;
    }
  } catch (error) {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    logger.warn({ consultationId: view.consultationId, err: reason }, 'posting the verdict failed');
    const where = target.visibility === 'me' || !target.channel ? 'to you' : `to <#${target.channel}>`;
    const note = `Your consultation is saved as \`${view.consultationId}\`, but I could not post the verdict ${where} (Slack said: ${escapeText(reason)}). \`/reality-check list\` shows it${target.visibility === 'me' || !target.channel ? '' : '; invite me to the channel to post there next time'}.`;
    // Posting to the user already failed: the note goes back in the command's channel reply instead.
    if (target.visibility === 'me' || !target.channel) {
      logger.error({ consultationId: view.consultationId, err: reason }, note);
      return null;
    }
    try {
      await client.chat.postMessage({ channel: target.userId, text: `${note} Here it is:`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${note} Here it is:` } }, ...blocks].slice(0, 50) });
    } catch (inner) {
      logger.error({ consultationId: view.consultationId, err: (inner as Error).message }, 'telling the user about the failed post failed too');
    }
    return null;
  }
}
