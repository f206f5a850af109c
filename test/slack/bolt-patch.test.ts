// Bolt as installed carries patches/@slack+bolt+5.1.0.patch (applied by patch-package on install): the
// arguments of every middleware and listener call, and the request's context, are built with
// Object.assign rather than `{ ...args, next, context, … }`. On Node 20 (V8 11.3) an object literal that
// spreads and then adds properties keeps what it was built from alive past young-generation collections
// until the next full one; Bolt builds several per request, and a tenth of all the server allocated went to
// the old generation (README, "Where it stands"). The patch must keep Bolt's meaning: later names win.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const dist = dirname(require.resolve('@slack/bolt'));
const source = (file: string): string => readFileSync(join(dist, file), 'utf8');

type Middleware = (args: Record<string, unknown>) => Promise<unknown>;
const { default: processMiddleware } = require(join(dist, 'middleware', 'process.js')) as {
  default: (middleware: Middleware[], initialArgs: Record<string, unknown>, context: unknown, client: unknown, logger: unknown, last: () => Promise<unknown>) => Promise<unknown>;
};

describe('Bolt as patched', () => {
  it('builds middleware and listener arguments without a spread followed by more properties', () => {
    const middlewareChain = source(join('middleware', 'process.js'));
    const app = source('App.js');
    expect(middlewareChain).toContain('Object.assign({}, initialArgs, {');
    expect(middlewareChain).not.toMatch(/\{\s*\.\.\.initialArgs,/);
    expect(app).toContain('Object.assign({}, listenerArgs, {');
    expect(app).not.toMatch(/\{\s*\.\.\.listenerArgs,/);
    expect(app).toContain('Object.assign({}, authorizeResult, event.customProperties, {');
  });

  it('still hands each middleware the request arguments with next, context, client and logger over them', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const context = { teamId: 'T1' };
    const client = { token: 'xoxb' };
    const logger = { name: 'log' };
    const middleware: Middleware[] = [
      async (args) => {
        seen.push(args);
        await (args.next as () => Promise<void>)();
      },
      async (args) => {
        seen.push(args);
      },
    ];
    let lastCalled = false;
    await processMiddleware(middleware, { body: { text: 'hi' }, context: 'overridden', logger: 'overridden' }, context, client, logger, async () => {
      lastCalled = true;
    });
    expect(seen).toHaveLength(2);
    for (const args of seen) {
      expect(args.body).toEqual({ text: 'hi' });
      expect(args.context).toBe(context);
      expect(args.client).toBe(client);
      expect(args.logger).toBe(logger);
      expect(typeof args.next).toBe('function');
    }
    // The second middleware did not call next, so the chain stopped there, as in Bolt.
    expect(lastCalled).toBe(false);
  });
});
