// A small local stand-in for the Bot Connector service (the activity's serviceUrl): records what
// the real botbuilder adapter sends and answers like the connector does ({ id }), so nothing is mocked.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  /** send = POST …/activities, reply = POST …/activities/{replyToId}, update = PUT, create = POST /v3/conversations. */
  kind: 'send' | 'reply' | 'update' | 'create' | 'other';
  method: string;
  path: string;
  conversationId?: string;
  activityId?: string;
  body: Record<string, unknown>;
  authorization?: string;
  /** The id the fake answered with (new activity or conversation). */
  responseId: string;
}

export class FakeTeamsConnector {
  readonly calls: ConnectorCall[] = [];
  private server: Server | null = null;
  private seq = 0;
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body }) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Calls recorded after index `from` (a checkpoint taken with `calls.length`). */
  since(from: number, kind?: ConnectorCall['kind']): ConnectorCall[] {
    return this.calls.slice(from).filter((c) => kind === undefined || c.kind === kind);
  }

  /** Resolves once `count` calls have been recorded in total. */
  waitForCalls(count: number, timeoutMs = 10_000): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`connector saw ${this.calls.length} calls, expected ${count}`)), timeoutMs);
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return { status: 400, body: { error: { code: 'BadArgument', message: 'not JSON' } } };
    }
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const responseId = `${Date.now()}${String(++this.seq).padStart(4, '0')}`;
    let call: ConnectorCall;
    if (method === 'POST' && parts.length === 2 && parts[0] === 'v3' && parts[1] === 'conversations') {
      call = { kind: 'create', method, path, body, responseId: `19:created-${this.seq}@thread.tacv2` };
    } else if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities') {
      const kind = method === 'PUT' ? 'update' : parts[4] ? 'reply' : 'send';
      call = { kind, method, path, conversationId: parts[2]!, ...(parts[4] ? { activityId: parts[4] } : {}), body, responseId: kind === 'update' ? parts[4]! : responseId };
    } else {
      call = { kind: 'other', method, path, body, responseId };
    }
    const auth = req.headers.authorization;
    if (auth) call.authorization = auth;
    this.calls.push(call);
    this.waiters = this.waiters.filter((w) => (this.calls.length >= w.count ? (w.resolve(), false) : true));
    if (call.kind === 'other') return { status: 404, body: { error: { code: 'NotFound', message: `${method} ${path}` } } };
    if (call.kind === 'create') return { status: 201, body: { id: call.responseId, activityId: `${responseId}`, serviceUrl: this.url } };
    return { status: 200, body: { id: call.responseId } };
  }
}
