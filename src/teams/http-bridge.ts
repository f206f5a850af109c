// CloudAdapter.process wants an express-style request (a parsed body) and response (status, header,
// send, end). This is that, over node's own IncomingMessage and ServerResponse, with no framework.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';
import type { Logger } from '../log.js';

export function botRequest(req: IncomingMessage, body: Record<string, unknown>): Request {
  return { method: req.method ?? 'POST', headers: req.headers, body };
}

export class BotResponse implements Response {
  readonly socket: unknown;
  private code = 200;
  private body: unknown = undefined;
  private readonly headers: Record<string, string> = {};

  constructor(private readonly res: ServerResponse, private readonly logger: Logger) {
    this.socket = res.socket;
  }

  status(code: number): this {
    this.code = code;
    return this;
  }

  header(name: string, value: unknown): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }

  send(body?: unknown): this {
    this.body = body;
    return this;
  }

  /** Writes once. Bodies of server errors are replaced: botbuilder puts raw error messages there. */
  end(): this {
    if (this.res.headersSent || this.res.writableEnded) return this;
    let payload: string | undefined;
    let type = this.headers['content-type'];
    if (this.code === 501) {
      // botbuilder's answer to an invoke the bot does not handle: the caller's request, not our failure.
      this.code = 400;
      payload = JSON.stringify({ error: 'unsupported invoke' });
      type = 'application/json; charset=utf-8';
    } else if (this.code >= 500) {
      this.logger.error({ status: this.code, detail: typeof this.body === 'string' ? this.body.slice(0, 500) : undefined }, 'bot framework request failed');
      payload = JSON.stringify({ error: 'internal error' });
      type = 'application/json; charset=utf-8';
    } else if (this.code === 401 || this.code === 403) {
      this.logger.warn({ status: this.code }, 'bot framework request refused: missing or invalid token');
      payload = JSON.stringify({ error: 'unauthorized' });
      type = 'application/json; charset=utf-8';
    } else if (this.body !== undefined && this.body !== null) {
      const isText = typeof this.body === 'string';
      payload = isText ? (this.body as string) : JSON.stringify(this.body);
      type ??= isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
    }
    const headers: Record<string, string | number> = { ...this.headers };
    if (payload !== undefined) {
      headers['content-type'] = type ?? 'application/json; charset=utf-8';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    this.res.writeHead(this.code, headers);
    this.res.end(payload);
    return this;
  }

  get statusCode(): number {
    return this.code;
  }
}
