// Signs requests exactly as Slack does: v0=HMAC-SHA256(secret, "v0:<timestamp>:<body>").
import { createHmac } from 'node:crypto';

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export function signed(secret: string, body: string, contentType: string, options: { timestamp?: number; retryNum?: number } = {}): SignedRequest {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, body),
      ...(options.retryNum !== undefined ? { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
    },
  };
}

export function slashCommandBody(fields: Record<string, string>): string {
  return new URLSearchParams({
    token: 'deprecated', team_id: 'T0001', team_domain: 'fake', channel_id: 'C0001', channel_name: 'architecture',
    user_id: 'U0001', user_name: 'ada', command: '/reality-check', text: '', api_app_id: 'A0001',
    response_url: 'http://127.0.0.1:9/response', trigger_id: '1337.42.abcd', ...fields,
  }).toString();
}

export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
