import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BodyError, isSslCheck } from '../../src/server/body.js';
import { MAX_SKEW_SECONDS, verifySlackSignature } from '../../src/slack/signature.js';
import { slackSignature } from '../fakes/slack-signing.js';

const SECRET = 'signing-secret';
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const TS = NOW / 1000;

function headers(body: string, opts: { secret?: string; timestamp?: number } = {}): Record<string, string> {
  const timestamp = opts.timestamp ?? TS;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(opts.secret ?? SECRET, timestamp, body) };
}

function refusal(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BodyError);
    expect((error as BodyError).status).toBe(401);
    return (error as BodyError).message;
  }
  throw new Error('expected a 401');
}

describe('Slack request signatures', () => {
  const body = 'command=%2Freality-check&text=should+we+use+kafka%3F&team_id=T1&user_id=U1';

  it('accepts the signature Slack makes over the raw bytes, within the allowed skew either way', () => {
    expect(() => verifySlackSignature(SECRET, headers(body), Buffer.from(body), NOW)).not.toThrow();
    const early = TS - MAX_SKEW_SECONDS + 1;
    expect(() => verifySlackSignature(SECRET, headers(body, { timestamp: early }), Buffer.from(body), NOW)).not.toThrow();
    // Bytes that are not UTF-8 are signed as they are, not as a decoded copy.
    const raw = Buffer.concat([Buffer.from('payload='), Buffer.from([0xff, 0xfe, 0x41])]);
    const timestamp = TS;
    const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:`).update(raw).digest('hex')}`;
    expect(() => verifySlackSignature(SECRET, { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature }, raw, NOW)).not.toThrow();
  });

  it('refuses another secret, another body, a stale or future timestamp, and missing or malformed headers', () => {
    expect(refusal(() => verifySlackSignature(SECRET, headers(body, { secret: 'other' }), Buffer.from(body), NOW))).toMatch(/does not match/);
    expect(refusal(() => verifySlackSignature(SECRET, headers(body), Buffer.from(`${body}&x=1`), NOW))).toMatch(/does not match/);
    expect(refusal(() => verifySlackSignature(SECRET, headers(body, { timestamp: TS - MAX_SKEW_SECONDS - 1 }), Buffer.from(body), NOW))).toMatch(/minutes from now/);
    expect(refusal(() => verifySlackSignature(SECRET, headers(body, { timestamp: TS + MAX_SKEW_SECONDS + 1 }), Buffer.from(body), NOW))).toMatch(/minutes from now/);
    expect(refusal(() => verifySlackSignature(SECRET, {}, Buffer.from(body), NOW))).toMatch(/expected x-slack-request-timestamp/);
    const h = headers(body);
    expect(refusal(() => verifySlackSignature(SECRET, { ...h, 'x-slack-signature': h['x-slack-signature']!.replace('v0=', 'v1=') }, Buffer.from(body), NOW))).toMatch(/v0/);
    expect(refusal(() => verifySlackSignature(SECRET, { ...h, 'x-slack-signature': 'v0=abc' }, Buffer.from(body), NOW))).toMatch(/v0/);
    expect(refusal(() => verifySlackSignature(SECRET, { ...h, 'x-slack-request-timestamp': '1e9' }, Buffer.from(body), NOW))).toMatch(/expected/);
  });

  it('knows Slack\'s unsigned certificate check from everything else', () => {
    const form = 'application/x-www-form-urlencoded';
    expect(isSslCheck(form, Buffer.from('ssl_check=1&token=x'))).toBe(true);
    expect(isSslCheck(form, Buffer.from('token=x&ssl_check=1'))).toBe(true);
    // Only the exact type Slack sends: Bolt's receiver reads nothing else as a form.
    expect(isSslCheck(`${form}; charset=utf-8`, Buffer.from('ssl_check=1'))).toBe(false);
    expect(isSslCheck(form, Buffer.from('ssl_check=0'))).toBe(false);
    expect(isSslCheck(form, Buffer.from(body))).toBe(false);
    expect(isSslCheck('application/json', Buffer.from('{"ssl_check=":1}'))).toBe(false);
  });
});
