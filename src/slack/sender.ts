// The scheduler's way into Slack: check-ins as DMs, the digest as a channel post with its chart.
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import type { CheckInView } from '../present/check-in.js';
import type { DigestView } from '../present/digest.js';
import type { Sender } from '../schedule/jobs.js';
import { renderCheckInBlocks } from './blocks/check-in.js';
import { renderDigestBlocks } from './blocks/digest.js';

/**
 * `tokenFor` gives each workspace's own token (OAuth installs); without it the client's one token is
 * used. A workspace with no token (uninstalled) is skipped: nothing can reach it any more.
 */
export function slackSender(client: WebClient, logger: Logger, tokenFor?: (workspace: string) => Promise<string | undefined>): Sender {
  const auth = async (workspace: string): Promise<{ token?: string } | null> => {
    if (!tokenFor) return {};
    const token = await tokenFor(workspace);
    if (token) return { token };
    logger.info({ workspace }, 'workspace not installed any more: scheduled message dropped');
    return null;
  };
  return {
    async sendCheckIn(target, view: CheckInView) {
      const token = await auth(target.workspace);
      if (!token) return;
      await client.chat.postMessage({ ...token, channel: target.userId, text: `Check-in: what happened after “${view.question.slice(0, 100)}”?`, blocks: renderCheckInBlocks(view) });
    },
    async postDigest(target, digest: DigestView, png: Buffer | null) {
      const token = await auth(target.workspace);
      if (!token) return;
      const posted = await client.chat.postMessage({ ...token, channel: target.channel, text: digest.lines.join('\n'), blocks: renderDigestBlocks(digest) });
      if (png) {
        await client.filesUploadV2({
          ...token,
          channel_id: target.channel,
          thread_ts: posted.ts!,
          file: png,
          filename: `calibration-${digest.weekLabel}.png`,
          title: `Calibration ${digest.weekLabel}`,
          alt_text: `Calibration chart: predicted probability against observed frequency for ${digest.accuracy.resolved} resolved predictions.`,
        });
      }
    },
  };
}
