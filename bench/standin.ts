// A fast local stand-in for the Slack Web API used by the benchmarks: answers like Slack, and notes
// when each trigger_id reached views.open and each channel got a message (for end-to-end latency).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export const now = (): number => performance.timeOrigin + performance.now();

export interface StandIn {
  url: string;
  viewsOpened: Map<string, number>;
  counts: Map<string, number>;
  /** Calls per method since the last reset, with the body of the latest per channel. */
  onCall: ((method: string, args: { get(name: string): string | null }, ts: string) => void) | null;
  close(): Promise<void>;
}

export async function startStandIn(): Promise<StandIn> {
  let seq = 0;
  const standIn: StandIn = { url: '', viewsOpened: new Map(), counts: new Map(), onCall: null, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').split('?')[0]!.replace(/^\/api\//, '');
      // Only the few fields the benchmarks need are pulled out: parsing a whole modal per call would make
      // the stand-in (on the load generator's core) the bottleneck instead of the server under test.
      const text = Buffer.concat(chunks).toString('latin1');
      const field = (name: string): string | null => {
        if (text.startsWith('{')) {
          // A JSON body (views.open from the slash command): a top-level string field, found by its key.
          const at = text.indexOf(`"${name}":"`);
          return at < 0 ? null : text.slice(at + name.length + 4, text.indexOf('"', at + name.length + 4));
        }
        // A form field starts the body or follows '&' (so "ts" never matches inside "thread_ts").
        const at = text.startsWith(`${name}=`) ? 0 : (text.indexOf(`&${name}=`) + 1 || -1);
        if (at < 0) return null;
        const end = text.indexOf('&', at);
        return decodeURIComponent(text.slice(at + name.length + 1, end < 0 ? undefined : end));
      };
      const args = { get: field };
      standIn.counts.set(method, (standIn.counts.get(method) ?? 0) + 1);
      if (method === 'views.open') standIn.viewsOpened.set(args.get('trigger_id') ?? '', now());
      const ts = `${1700000000 + ++seq}.000100`;
      standIn.onCall?.(method, args, ts);
      const body =
        method === 'auth.test' ? { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001' }
        : method === 'chat.postMessage' ? { ok: true, channel: args.get('channel'), ts }
        : method.startsWith('views.') ? { ok: true, view: { id: `V${seq}`, hash: 'h' } }
        : { ok: true, ts };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  standIn.close = () => new Promise((resolve) => server.close(() => resolve()));
  return standIn;
}
