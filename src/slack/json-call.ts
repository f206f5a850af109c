// The hot Web API calls without the Web API client: views.open with a modal already serialised to JSON,
// sent as a JSON body, and the posts, updates and App Home views the same way. The client form-encodes
// every argument: with the 6 KB modal a call cost ~420 µs of CPU, against ~140 µs for this JSON body (a
// micro-benchmark against the local stand-in). Slack accepts JSON bodies on write methods, with the token as
// a bearer header; read methods get a form body. Failures are retried as the client would (429 after
// Retry-After, 5xx and network errors with a short backoff), but only until a deadline (2.5 s by default:
// a trigger id lives 3 s).
import type { WebClient } from '@slack/web-api';
import { AppError } from '../errors.js';
import { undiciPost, type JsonPost } from '../undici-fetch.js';

export type { JsonPost } from '../undici-fetch.js';

export interface JsonCallOptions {
  /** Web API base URL, ending in '/'. */
  apiUrl: string;
  token: string;
  /** How the body is sent; undiciPost unless a test or the metrics wrap it. */
  post?: JsonPost;
  /** Give up retrying once this long has passed since the first attempt. */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface SlackResult {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

const RETRY_BASE_MS = 100;

export class SlackCallError extends AppError {
  readonly slackError: string;

  constructor(method: string, slackError: string, options?: { cause?: unknown }) {
    super('PLATFORM_FAILED', `Slack ${method} failed: ${slackError}`, options);
    this.slackError = slackError;
  }
}

/**
 * Options for calling with a request's client's own token and API URL (the installation's, under OAuth),
 * read without building the WebClient behind it (slack/client-pools).
 */
export function clientCallOptions(client: WebClient, post?: JsonPost, deadlineMs?: number): JsonCallOptions {
  return { apiUrl: client.slackApiUrl, token: client.token ?? '', ...(post ? { post } : {}), ...(deadlineMs === undefined ? {} : { deadlineMs }) };
}

/** POSTs `json` (a JSON object as text) to `method`; resolves with Slack's answer, throws SlackCallError. */
export function callJson(options: JsonCallOptions, method: string, json: string): Promise<SlackResult> {
  return callWebApi(options, method, json, 'application/json; charset=utf-8');
}

/**
 * POSTs `params` form-encoded, for the read methods (users.info): Slack takes JSON bodies only on write
 * methods. Same token, retries and errors as callJson.
 */
export function callForm(options: JsonCallOptions, method: string, params: Record<string, string>): Promise<SlackResult> {
  return callWebApi(options, method, new URLSearchParams(params).toString(), 'application/x-www-form-urlencoded');
}

async function callWebApi(options: JsonCallOptions, method: string, body: string, contentType: string): Promise<SlackResult> {
  const deadline = Date.now() + (options.deadlineMs ?? 2_500);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const post = options.post ?? undiciPost;
  for (let attempt = 0; ; attempt++) {
    let wait: number;
    let failure: string;
    try {
      // An answer later than the deadline is of no use: the trigger id has expired by then.
      const response = await post(
        `${options.apiUrl}${method}`,
        { authorization: `Bearer ${options.token}`, 'content-type': contentType },
        body,
        Math.max(1, deadline - Date.now()),
      );
      if (response.status === 200) {
        const result = JSON.parse(response.text) as SlackResult;
        if (!result.ok) throw new SlackCallError(method, result.error ?? 'unknown_error');
        return result;
      }
      if (response.status !== 429 && response.status < 500) throw new SlackCallError(method, `http_${response.status}`);
      failure = response.status === 429 ? 'ratelimited' : `http_${response.status}`;
      const retryAfter = Number(response.retryAfter);
      wait = response.status === 429 && Number.isFinite(retryAfter) ? retryAfter * 1000 : RETRY_BASE_MS * 2 ** attempt;
    } catch (error) {
      if (error instanceof SlackCallError) throw error;
      failure = `network_error: ${error instanceof Error ? error.message : String(error)}`;
      wait = RETRY_BASE_MS * 2 ** attempt;
    }
    if (Date.now() + wait > deadline) throw new SlackCallError(method, failure);
    await sleep(wait);
  }
}
