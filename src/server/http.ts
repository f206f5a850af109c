// The one HTTP server: Slack at /slack/events, Teams at /api/messages, health, readiness and metrics.
// Every failure becomes a short JSON error; no stack trace ever leaves the process.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import { BodyError, sendJson } from './body.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface HttpServer {
  server: Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, waits for in-flight requests up to graceMs, then closes the rest. */
  close(graceMs: number): Promise<void>;
  inFlight(): number;
}

export function createHttpServer(routes: Record<string, Handler>, logger: Logger, observe?: (route: string, seconds: number) => void): HttpServer {
  let active = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const handler = routes[`${req.method ?? 'GET'} ${path}`];
    if (!handler) {
      const known = Object.keys(routes).some((r) => r.endsWith(` ${path}`));
      sendJson(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' });
      req.resume();
      return;
    }
    active++;
    const started = process.hrtime.bigint();
    const reqId = String(req.headers['x-request-id'] ?? randomUUID()).slice(0, 64);
    res.on('close', () => {
      active--;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      observe?.(path, seconds);
      logger.info({ reqId, method: req.method, route: path, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, 'request');
    });
    // The id also goes back in the response, so a user's report can be matched to this line.
    res.setHeader('x-request-id', reqId);
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        if (error instanceof BodyError) {
          sendJson(res, error.status, { error: error.message });
          req.resume();
          return;
        }
        logger.error({ err: error instanceof Error ? error.message : String(error), path }, 'request failed');
        sendJson(res, 500, { error: 'internal error' });
      });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 30_000;
  return {
    server,
    inFlight: () => active,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: (graceMs) =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        deadline.unref();
      }),
  };
}
