// Posting a verdict where the asker chose, and telling them when Slack refused, so a saved
// consultation is never silently lost behind a failed post. The posts are JSON bodies (slack/json-call),
// not the Web API client's: it form-encodes the blocks, then stringifies a redacted copy of them for a
// debug line even when debug is off. That was ~100 KB of allocation per verdict, ~250 KB with the
// workspace's record in it (bench:scale's sampling heap profile), a third of a submission's.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { VerdictView } from '../present/verdict.js';
import { renderVerdictBlocks, verdictFallbackText } from './blocks/verdict.js';
import type { Visibility } from './blocks/modal.js';
import { escapeText, limit } from './escape.js';
import { callJson, clientCallOptions, SlackCallError, type JsonPost, type SlackResult } from './json-call.js';

/** One Web API call with its arguments; resolves with Slack's answer, throws SlackCallError. */
export type WebApiCall = (method: string, args: Record<string, unknown>) => Promise<SlackResult>;

/** Retries (429 after Retry-After, 5xx, network) stop after this long: someone is waiting for the verdict. */
const POST_DEADLINE_MS = 10_000;

/** Calls with the client's own token and API URL (the installation's, under OAuth), as JSON bodies. */
export function jsonWebApi(client: WebClient, post?: JsonPost): WebApiCall {
  const options = clientCallOptions(client, post, POST_DEADLINE_MS);
  return (method, args) => callJson(options, method, JSON.stringify(args));
}

const tsOf = (result: SlackResult): string | undefined => (typeof result.ts === 'string' ? result.ts : undefined);

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
  call: WebApiCall,
  logger: Logger,
  target: { visibility: Visibility; channel: string | null; userId: string; threadTs?: string },
  view: VerdictView,
): Promise<PostedVerdict | null> {
  const blocks = renderVerdictBlocks(view, { askedBy: target.userId });
  const text = verdictFallbackText(view);
  try {
    if (target.visibility === 'me' || !target.channel) {
      await call('chat.postMessage', { channel: target.userId, blocks, text });
      return null;
    } else if (target.visibility === 'thread') {
      const threadTs = target.threadTs ?? tsOf(await call('chat.postMessage', {
        channel: target.channel,
        text: limit(`<@${target.userId}> asked reality-check: “${escapeText(view.question)}” — ${view.verdictLabel}. Details in the thread.`, 3000),
      }));
      const ts = tsOf(await call('chat.postMessage', { channel: target.channel, ...(threadTs ? { thread_ts: threadTs } : {}), blocks, text }));
      return ts ? { channel: target.channel, ts, ...(threadTs ? { threadTs } : {}) } : null;
    } else {
      const ts = tsOf(await call('chat.postMessage', { channel: target.channel, blocks, text }));
      return ts ? { channel: target.channel, ts } : null;
    }
  } catch (error) {
    const reason = error instanceof SlackCallError ? error.slackError : (error as Error).message;
    logger.warn({ consultationId: view.consultationId, err: reason }, 'posting the verdict failed');
    const where = target.visibility === 'me' || !target.channel ? 'to you' : `to <#${target.channel}>`;
    const note = `Your consultation is saved as \`${view.consultationId}\`, but I could not post the verdict ${where} (Slack said: ${escapeText(reason)}). \`/reality-check list\` shows it${target.visibility === 'me' || !target.channel ? '' : '; invite me to the channel to post there next time'}.`;
    // Posting to the user already failed: the note goes back in the command's channel reply instead.
    if (target.visibility === 'me' || !target.channel) {
      logger.error({ consultationId: view.consultationId, err: reason }, note);
      return null;
    }
    try {
      await call('chat.postMessage', { channel: target.userId, text: `${note} Here it is:`, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${note} Here it is:` } }, ...blocks].slice(0, 50) });
    } catch (inner) {
      logger.error({ consultationId: view.consultationId, err: (inner as Error).message }, 'telling the user about the failed post failed too');
    }
    return null;
  }
}
