// Slack's request signing (v0), checked once at the edge, on the raw bytes, before anything parses them.
// Bolt's receiver would check it again on a decoded copy of the body, through a constant-time compare
// that draws random bytes and hashes both sides once more; with this check in front it is switched off.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { BodyError } from '../server/body.js';

/** A request signed further than this from our clock, either way, is refused (Slack's own rule: replays). */
export const MAX_SKEW_SECONDS = 5 * 60;

const SIGNATURE = /^v0=([0-9a-f]{64})$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** Throws a 401 unless `raw` carries a valid, fresh Slack signature made with `secret`. */
export function verifySlackSignature(secret: string, headers: IncomingHttpHeaders, raw: Buffer, nowMs: number): void {
  const timestamp = header(headers, 'x-slack-request-timestamp');
  const signature = SIGNATURE.exec(header(headers, 'x-slack-signature') ?? '');
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp) || !signature) {
    throw new BodyError(401, 'expected x-slack-request-timestamp and a v0 x-slack-signature');
  }
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
    throw new BodyError(401, `x-slack-request-timestamp is more than ${MAX_SKEW_SECONDS / 60} minutes from now`);
  }
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature[1]!, 'hex'))) throw new BodyError(401, 'x-slack-signature does not match the body');
}
