// A small local stand-in for the Slack Web API: records every call and answers as Slack does, so the
// real Bolt app runs unmodified against it (SLACK_API_URL). Failures can be injected per method.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  /** What the fake answered (HTTP status and JSON body), so tests can follow returned ids and ts. */
  status?: number;
  response?: unknown;
}

type Failure = { status: number; body?: Record<string, unknown>; headers?: Record<string, string> };

function decode(value: string): unknown {
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

/** Marks a JSON body that did not parse: Slack answers it with `invalid_json`. */
const INVALID_JSON = '__invalid_json__';

async function readArgs(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      return { [INVALID_JSON]: true };
    }
  }
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(text)) args[k] = decode(v);
  return args;
}

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly uploads: Array<{ fileId: string; bytes: number; body: string }> = [];
  admins = new Set<string>();
  private failures = new Map<string, Failure[]>();
  private server: Server | null = null;
  private seq = 1000;
  private waiters: Array<{ method: string; count: number; resolve: () => void }> = [];
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(({ status, body, headers }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...(headers ?? {}) });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** The next `times` calls of `method` fail with this HTTP status (e.g. 429, 500) or Slack error. */
  failNext(method: string, failure: Failure, times = 1): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<Failure>(times).fill(failure)]);
  }

  /** A response_url pointing at this fake; what the app sends there is recorded as "response_url". */
  responseUrl(id: string): string {
    return `${this.url.replace(/api\/$/, '')}response/${id}`;
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `method` has been called `count` times in total. */
  waitFor(method: string, count = 1, timeoutMs = 10_000): Promise<void> {
    if (this.callsTo(method).length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${count} × ${method}; saw ${this.calls.map((c) => c.method).join(', ')}`)), timeoutMs);
      this.waiters.push({ method, count, resolve: () => { clearTimeout(timer); resolve(); } });
    });
  }

  private notify(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.callsTo(w.method).length >= w.count) {
        w.resolve();
        return false;
      }
      return true;
    });
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const path = (req.url ?? '').split('?')[0]!;
    if (path.startsWith('/upload/')) {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      this.uploads.push({ fileId: path.slice('/upload/'.length), bytes: body.length, body: body.toString('utf8') });
      return { status: 200, body: { ok: true } };
    }
    if (path.startsWith('/response/')) {
      // A response_url (respond() from a slash command or an action), recorded as method "response_url".
      const args = await readArgs(req);
      this.calls.push({ method: 'response_url', args: { ...args, path }, status: 200, response: { ok: true } });
      this.notify();
      return { status: 200, body: { ok: true } };
    }
    const method = path.replace(/^\/api\//, '');
    const args = await readArgs(req);
    // Slack refuses a body it cannot parse, and a call that carries no token (bearer header or argument).
    const refusal = args[INVALID_JSON] ? 'invalid_json' : !/^Bearer \S+/.test(req.headers.authorization ?? '') && typeof args.token !== 'string' ? 'not_authed' : null;
    const failure = refusal ? { status: 200, body: { ok: false, error: refusal } } : this.failures.get(method)?.shift();
    const reply = failure
      ? { status: failure.status, body: failure.body ?? { ok: false, error: 'fake_failure' }, ...(failure.headers ? { headers: failure.headers } : {}) }
      : { status: 200, body: this.answer(method, args) };
    this.calls.push({ method, args, status: reply.status, response: reply.body });
    this.notify();
    return reply;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const ts = `${1700000000 + this.seq++}.000100`;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'reality-check', team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'views.open':
      case 'views.update':
      case 'views.push':
        return { ok: true, view: { id: (args.view_id as string) ?? `V${this.seq}`, hash: `h${this.seq}`, ...(args.view as object) } };
      case 'views.publish':
        return { ok: true, view: { id: `V${this.seq}`, ...(args.view as object) } };
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts, message: { ts, text: args.text } };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts };
      case 'users.info':
        return { ok: true, user: { id: args.user, is_admin: this.admins.has(String(args.user)), is_owner: false } };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users ?? 'X')}` } };
      case 'files.getUploadURLExternal': {
        const id = `F${this.seq}`;
        return { ok: true, upload_url: `${this.url.replace(/api\/$/, '')}upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: (args.files as Array<{ id: string; title?: string }>) ?? [] };
      default:
        return { ok: true };
    }
  }
}
