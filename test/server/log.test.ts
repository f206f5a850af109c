import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { sendJson } from '../../src/server/body.js';
import { createHttpServer } from '../../src/server/http.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('structured logs', () => {
  it('writes one JSON line per request with its id, route, status and time, and returns the id', async () => {
    const { lines, logger } = capture();
    const http = createHttpServer({ 'GET /ping': (_req, res) => sendJson(res, 200, { ok: true }) }, logger);
    const port = await http.listen(0, '127.0.0.1');
    try {
      const given = await fetch(`http://127.0.0.1:${port}/ping`, { headers: { 'x-request-id': 'req-42' } });
      const made = await fetch(`http://127.0.0.1:${port}/ping`);
      expect(given.headers.get('x-request-id')).toBe('req-42');
      expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      await new Promise((r) => setTimeout(r, 20));
      const requests = lines.filter((l) => l.msg === 'request');
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({ reqId: 'req-42', route: '/ping', status: 200, method: 'GET', app: 'reality-check' });
      expect(typeof requests[0]!.ms).toBe('number');
      expect(requests[1]!.reqId).toBe(made.headers.get('x-request-id'));
    } finally {
      await http.close(100);
    }
  });

  it('does not carry fields from one line into the next', async () => {
    const { lines, logger } = capture();
    logger.info({ consultationId: 'rc-a', topic: 'kubernetes' }, 'first');
    logger.info('second');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({ consultationId: 'rc-a' });
    expect(lines[1]).not.toHaveProperty('consultationId');
  });
});
