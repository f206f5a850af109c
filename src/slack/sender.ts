// The scheduler's way into Slack: check-ins as DMs, the digest as a channel post with its chart.
import type { WebClient } from '@slack/web-api';
import type { CheckInView } from '../present/check-in.js';
import type { DigestView } from '../present/digest.js';
import type { Sender } from '../schedule/jobs.js';
import { renderCheckInBlocks } from './blocks/check-in.js';
import { renderDigestBlocks } from './blocks/digest.js';

export function slackSender(client: WebClient): Sender {
  return {
    async sendCheckIn(target, view: CheckInView) {
      await client.chat.postMessage({ channel: target.userId, text: `Check-in: what happened after “${view.question.slice(0, 100)}”?`, blocks: renderCheckInBlocks(view) });
    },
    async postDigest(target, digest: DigestView, png: Buffer | null) {
      const posted = await client.chat.postMessage({ channel: target.channel, text: digest.lines.join('\n'), blocks: renderDigestBlocks(digest) });
      if (png) {
        await client.filesUploadV2({
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
