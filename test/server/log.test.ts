import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, requestContext } from '../../src/log.js';

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
  it('writes one JSON line per event, carrying the request id of the request it belongs to', async () => {
    const { lines, logger } = capture();
    await requestContext.run({ reqId: 'req-1' }, async () => {
      logger.info({ consultationId: 'rc-1' }, 'consultation saved');
      await Promise.resolve();
      logger.child({ component: 'bolt' }).warn('later, in the same request');
    });
    logger.info('outside any request');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.reqId)).toEqual(['req-1', 'req-1', undefined]);
    expect(lines[0]).toMatchObject({ consultationId: 'rc-1', msg: 'consultation saved', app: 'reality-check' });
  });

  it('does not carry fields from one line into the next', async () => {
    const { lines, logger } = capture();
    requestContext.run({ reqId: 'req-2' }, () => {
      logger.info({ consultationId: 'rc-a', topic: 'kubernetes' }, 'first');
      logger.info('second');
    });
    await new Promise((r) => setImmediate(r));
    expect(lines[1]).not.toHaveProperty('consultationId');
    expect(lines[1]).not.toHaveProperty('topic');
    expect(lines[1]!.reqId).toBe('req-2');
  });
});
