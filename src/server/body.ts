// Reading request bodies with a hard size limit, and the guard that stands in front of Bolt's
// receiver: Bolt 5.1 crashes on a signed JSON `null` and answers 500 to `"event": null`.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/**
 * An upload over the limit is still read to its end (and thrown away) before the 413 goes out, up to
 * this many bytes and while the client keeps sending: a server that answers and closes while the client
 * is still writing resets the connection, and the client sees EPIPE instead of the 413. Past either
 * bound the 413 goes out at once and the connection closes under whatever is left.
 */
export const DRAIN_MAX_BYTES = 16 * MAX_BODY_BYTES;
export const DRAIN_IDLE_MS = 1_000;

export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  // Made only when needed: an error's stack trace costs more than reading a small body.
  const tooLarge = (): BodyError => new BodyError(413, `body over ${maxBytes} bytes`);
  if (declared > DRAIN_MAX_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let idle: NodeJS.Timeout | undefined;
    const settle = (error: Error | undefined): void => {
      clearTimeout(idle);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const overLimit = (): void => {
      over = true;
      chunks.length = 0;
      clearTimeout(idle);
      idle = setTimeout(() => settle(tooLarge()), DRAIN_IDLE_MS);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > DRAIN_MAX_BYTES) return settle(tooLarge());
      if (over || size > maxBytes) return overLimit();
      chunks.push(chunk);
    };
    const onEnd = (): void => settle(over ? tooLarge() : undefined);
    const onError = (error: Error): void => settle(error);
    const onClose = (): void => settle(new BodyError(400, 'the connection closed before the body ended'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    if (declared > maxBytes) overLimit();
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BodyError(400, 'body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new BodyError(400, 'body must be a JSON object');
  return value as Record<string, unknown>;
}

/**
 * Slack's unsigned certificate check: a form whose ssl_check is 1 (anything else in it is ignored). The
 * type is compared exactly, as Bolt's receiver parses a form only then: what Slack sends.
 */
export function isSslCheck(contentType: string, raw: Buffer): boolean {
  if (contentType !== 'application/x-www-form-urlencoded' || !raw.includes('ssl_check=')) return false;
  return new URLSearchParams(raw.toString('utf8')).get('ssl_check') === '1';
}

/** Structural checks Slack payloads always pass; anything else never reaches Bolt. */
export function checkSlackBody(contentType: string, raw: Buffer): void {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  const text = raw.toString('utf8');
  if (type === 'application/json') {
    const body = parseJsonObject(text);
    if (body.type === 'event_callback' && (body.event === null || typeof body.event !== 'object' || Array.isArray(body.event))) {
      throw new BodyError(400, 'event_callback without an event object');
    }
    return;
  }
  if (type === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    const payload = form.get('payload');
    if (payload !== null) parseJsonObject(payload);
    else if (!form.has('command') && !form.has('ssl_check')) throw new BodyError(400, 'form body without a command or payload');
    // Slack always names the workspace and the person; everything downstream (rate limit, storage) is keyed by them.
    else if (form.has('command') && (!form.get('team_id') || !form.get('user_id'))) throw new BodyError(400, 'slash command without team_id or user_id');
    return;
  }
  throw new BodyError(415, 'expected application/json or application/x-www-form-urlencoded');
}
