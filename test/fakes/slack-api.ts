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
  /** The token the call carried (bearer header or `token` argument). */
  token?: string | undefined;
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
  private holds = new Map<string, Promise<void>>();
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

  /** The next call of `method` is recorded at once but answered only when the returned function is called. */
  holdNext(method: string): () => void {
    let release = (): void => undefined;
    this.holds.set(method, new Promise<void>((resolve) => { release = resolve; }));
    return () => release();
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

  /** Tokens issued by oauth.v2.access: token → its workspace (and org, for an org-wide install). */
  readonly issued = new Map<string, { team: string | null; enterprise: string | null }>();
  /** Codes the fake accepts: code → the workspace that installs; `rotate` issues expiring tokens. */
  readonly codes = new Map<string, { team: string | null; enterprise?: string; rotate?: boolean }>();
  private lastBearer = '';

  /** oauth.v2.access: a code from the install flow, or a refresh token (token rotation). */
  private exchange(args: Record<string, unknown>): Record<string, unknown> {
    if (args.client_id !== 'fake-client-id' || args.client_secret !== 'fake-client-secret') return { ok: false, error: 'invalid_client_id' };
    const grant = args.grant_type === 'refresh_token' ? this.refreshes.get(String(args.refresh_token)) : this.codes.get(String(args.code));
    if (!grant) return { ok: false, error: args.grant_type === 'refresh_token' ? 'invalid_refresh_token' : 'invalid_code' };
    const n = this.seq++;
    const token = `xoxb-${grant.team ?? grant.enterprise}-${n}`;
    this.issued.set(token, { team: grant.team, enterprise: grant.enterprise ?? null });
    const rotation = grant.rotate ? { refresh_token: `xoxe-1-${grant.team ?? grant.enterprise}-${n}`, expires_in: 43_200 } : {};
    if (grant.rotate) this.refreshes.set(rotation.refresh_token!, grant);
    return {
      ok: true,
      app_id: 'AFAKE',
      token_type: 'bot',
      access_token: token,
      scope: 'commands,chat:write',
      bot_user_id: 'UBOT',
      team: grant.team ? { id: grant.team, name: `Team ${grant.team}` } : null,
      enterprise: grant.enterprise ? { id: grant.enterprise, name: `Org ${grant.enterprise}` } : null,
      is_enterprise_install: Boolean(grant.enterprise && !grant.team),
      authed_user: { id: 'UINSTALLER' },
      ...rotation,
    };
  }

  readonly refreshes = new Map<string, { team: string | null; enterprise?: string; rotate?: boolean }>();

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
    this.lastBearer = /^Bearer (\S+)/.exec(req.headers.authorization ?? '')?.[1] ?? '';
    // Slack refuses a body it cannot parse, and a call that carries no token (bearer header or argument).
    // oauth.v2.access authenticates with the client id and secret (form fields or basic auth), not a token.
    const oauth = method === 'oauth.v2.access';
    const refusal = args[INVALID_JSON] ? 'invalid_json' : !oauth && !/^Bearer \S+/.test(req.headers.authorization ?? '') && typeof args.token !== 'string' ? 'not_authed' : null;
    const failure = refusal ? { status: 200, body: { ok: false, error: refusal } } : this.failures.get(method)?.shift();
    const reply = failure
      ? { status: failure.status, body: failure.body ?? { ok: false, error: 'fake_failure' }, ...(failure.headers ? { headers: failure.headers } : {}) }
      : { status: 200, body: this.answer(method, args) };
    const bearer = /^Bearer (\S+)/.exec(req.headers.authorization ?? '')?.[1];
    this.calls.push({ method, args, status: reply.status, response: reply.body, token: bearer ?? (typeof args.token === 'string' ? args.token : undefined) });
    this.notify();
    const hold = this.holds.get(method);
    if (hold) {
      this.holds.delete(method);
      await hold;
    }
    return reply;
  }

  private answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const ts = `${1700000000 + this.seq++}.000100`;
    switch (method) {
      case 'auth.test': {
        // A token this fake issued through OAuth answers for its own workspace.
        const issued = this.issued.get(String(args.token ?? this.lastBearer));
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'reality-check', team_id: issued?.team ?? 'T0001', user_id: 'UBOT', bot_id: 'BBOT', ...(issued?.enterprise ? { enterprise_id: issued.enterprise } : {}) };
      }
      case 'oauth.v2.access':
        return this.exchange(args);
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
