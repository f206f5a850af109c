// Reading request bodies with a hard size limit, and the guard that stands in front of Bolt's
// receiver: Bolt 5.1 crashes on a signed JSON `null` and answers 500 to `"event": null`.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBytes) throw new BodyError(413, `body over ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new BodyError(413, `body over ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
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
