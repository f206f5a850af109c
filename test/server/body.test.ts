// Oversized uploads: the 413 must reach a client that is still writing. A server that answers and
// closes mid-upload resets the connection, and the client sees EPIPE/ECONNRESET instead of the answer.
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { DRAIN_IDLE_MS, DRAIN_MAX_BYTES, MAX_BODY_BYTES, readBody, sendJson } from '../../src/server/body.js';
import { createHttpServer, type HttpServer } from '../../src/server/http.js';

const KIB = 1024;

interface Outcome {
  status: number;
  body: string;
  /** The socket error the client saw while it was still sending, if any. */
  error?: string;
  /** How many of the parts were handed to the socket before the connection ended. */
  sent: number;
  ms: number;
}

/** Sends `parts` one after another, `pauseMs` apart, whatever the server answers meanwhile. */
function upload(port: number, parts: Buffer[], opts: { pauseMs?: number; headers?: Record<string, string>; end?: boolean } = {}): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let status = 0;
    let body = '';
    let error: string | undefined;
    let sent = 0;
    const req = request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', headers: { 'content-type': 'application/json', connection: 'close', ...opts.headers }, agent: false });
    const done = (): void => resolve({ status, body, error, sent, ms: Date.now() - started });
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => setTimeout(done, 50));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
      done();
    });
    const send = async (): Promise<void> => {
      for (const [i, part] of parts.entries()) {
        if (req.destroyed) return;
        if (i > 0 && opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
        const flushed = req.write(part);
        sent++;
        if (!flushed) await new Promise((r) => req.once('drain', r));
      }
      if (opts.end !== false) req.end();
    };
    void send();
  });
}

describe('reading a request body', () => {
  let http: HttpServer;
  let port: number;
  const received: number[] = [];

  beforeAll(async () => {
    const logger = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }));
    http = createHttpServer(
      {
        'POST /upload': async (req, res) => {
          const body = await readBody(req);
          received.push(body.length);
          sendJson(res, 200, { bytes: body.length });
        },
      },
      logger,
    );
    port = await http.listen(0, '127.0.0.1');
  });
  afterAll(() => http.close(100));

  it('keeps a body up to the limit whole', async () => {
    const parts = Array.from({ length: 16 }, () => Buffer.alloc(64 * KIB, 'a'));
    const res = await upload(port, parts);
    expect(res).toMatchObject({ status: 200, error: undefined });
    expect(JSON.parse(res.body)).toEqual({ bytes: MAX_BODY_BYTES });
  });

  it('answers 413 to a chunked upload over the limit even while the client is still sending it', async () => {
    // 1.5 MiB, the last parts sent after a pause: long after a hasty server would have answered and closed.
    const parts = Array.from({ length: 24 }, () => Buffer.alloc(64 * KIB, 'a'));
    const before = received.length;
    const res = await upload(port, parts, { pauseMs: 10 });
    expect(received.length).toBe(before);
    expect(res.error).toBeUndefined();
    expect(res.sent).toBe(parts.length);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ error: `body over ${MAX_BODY_BYTES} bytes` });
  });

  it('answers 413 to a declared length over the limit, and to one whose body never comes, within the idle bound', async () => {
    const whole = Buffer.alloc(2 * MAX_BODY_BYTES, 'a');
    const sent = await upload(port, [whole.subarray(0, MAX_BODY_BYTES), whole.subarray(MAX_BODY_BYTES)], { pauseMs: 10, headers: { 'content-length': String(whole.length) } });
    expect(sent).toMatchObject({ status: 413, error: undefined, sent: 2 });

    const stalled = await upload(port, [Buffer.from('{"type":')], { headers: { 'content-length': String(5 * MAX_BODY_BYTES) }, end: false });
    expect(stalled.status).toBe(413);
    expect(stalled.ms).toBeGreaterThanOrEqual(DRAIN_IDLE_MS - 50);
  });

  it('does not read more than the drain bound: a declared length past it is refused at once', async () => {
    const res = await upload(port, [Buffer.from('{}')], { headers: { 'content-length': String(DRAIN_MAX_BYTES + 1) }, end: false });
    expect(res.status).toBe(413);
    expect(res.ms).toBeLessThan(DRAIN_IDLE_MS);
  });
});
