// Posting a verdict where the asker chose, and telling them when Slack refused, so a saved
// consultation is never silently lost behind a failed post.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { VerdictView } from '../present/verdict.js';
import { renderVerdictBlocks, verdictFallbackText } from './blocks/verdict.js';
import type { Visibility } from './blocks/modal.js';
import { escapeText, limit } from './escape.js';

export async function postVerdict(
  client: WebClient,
  logger: Logger,
  target: { visibility: Visibility; channel: string | null; userId: string },
  view: VerdictView,
): Promise<void> {
  const blocks = renderVerdictBlocks(view, { askedBy: target.userId });
  const text = verdictFallbackText(view);
  try {
    if (target.visibility === 'me' || !target.channel) {
      await client.chat.postMessage({ channel: target.userId, blocks, text });
    } else if (target.visibility === 'thread') {
      const parent = await client.chat.postMessage({
        channel: target.channel,
        text: limit(`<@${target.userId}> asked reality-check: “${escapeText(view.question)}” — ${view.verdictLabel}. Details in the thread.`, 3000),
      });
      await client.chat.postMessage({ channel: target.channel, thread_ts: parent.ts!, blocks, text });
    } else {
      await client.chat.postMessage({ channel: target.channel, blocks, text });
    }
  } catch (error) {
    const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
    logger.warn({ consultationId: view.consultationId, err: reason }, 'posting the verdict failed');
    const where = target.visibility === 'me' || !target.channel ? 'to you' : `to <#${target.channel}>`;
    const note = `Your consultation is saved as \`${view.consultationId}\`, but I could not post the verdict ${where} (Slack said: ${escapeText(reason)}). \`/reality-check list\` shows it${target.visibility === 'me' || !target.channel ? '' : '; invite me to the channel to post there next time'}.`;
    // Posting to the user already failed: the note goes back in the command's channel reply instead.
    if (target.visibility === 'me' || !target.channel) {
      logger.error({ consultationId: view.consultationId, err: reason }, note);
      return;
    }
    try {
      await client.chat.postMessage({ channel: target.userId, text: `${note} Here it is:`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${note} Here it is:` } }, ...blocks].slice(0, 50) });
    } catch (inner) {
      logger.error({ consultationId: view.consultationId, err: (inner as Error).message }, 'telling the user about the failed post failed too');
    }
  }
}
