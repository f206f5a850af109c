// With MICROSOFT_APP_ID set, botbuilder validates the Bot Framework token: a request without one is
// refused with 401 before any handler runs, nothing reaches the connector, and nothing is fetched.
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exchange, personalMessage, startTeamsApp, type TeamsHarness } from './harness.js';

const APP_ID = '00000000-0000-4000-8000-000000000001';
let h: TeamsHarness;
const outbound: string[] = [];

beforeAll(async () => {
  h = await startTeamsApp({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'not-a-real-secret', HOST: '127.0.0.1' });
  // botbuilder fetches OpenID metadata and tokens over https (node-fetch → https.request): record and refuse.
  vi.spyOn(https, 'request').mockImplementation((...args: unknown[]) => {
    outbound.push(String(args[0] instanceof URL ? args[0].href : typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0])));
    throw new Error('no network in tests');
  });
  // botbuilder prints the refused request with console.error; the test asserts on the response instead.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await h?.stop();
});

const tableCount = (table: string) => h.query((db) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);

describe('teams authentication', () => {
  it('answers 401 to an activity without Authorization, runs no handler and sends nothing', async () => {
    const res = await exchange(h, personalMessage(h, 'should we use kubernetes?'));
    expect(res.status).toBe(401);
    expect(res.calls).toHaveLength(0);
    expect(h.connector.calls).toHaveLength(0);
    // No handler ran: the turn would have recorded the conversation and the delivery.
    expect(tableCount('conversation_references')).toBe(0);
    expect(tableCount('processed_events')).toBe(0);
    expect(outbound).toEqual([]);
  });

  it('answers 401 to a token that is not a JWT, without fetching signing keys', async () => {
    const res = await h.send(personalMessage(h, 'hello'), { authorization: 'Bearer not-a-jwt' });
    expect(res.status).toBe(401);
    expect(h.connector.calls).toHaveLength(0);
    expect(tableCount('conversation_references')).toBe(0);
    expect(outbound).toEqual([]);
  });

  it('would fetch signing keys for a well-formed token (refused here), which shows the guard above is real', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64({ iss: 'https://api.botframework.com', aud: APP_ID })}.c2lnbmF0dXJl`;
    const res = await h.send(personalMessage(h, 'hello'), { authorization: `Bearer ${jwt}` });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal error' });
    expect(outbound.some((u) => u.includes('login.botframework.com'))).toBe(true);
    expect(h.connector.calls).toHaveLength(0);
    expect(tableCount('conversation_references')).toBe(0);
  });

  it('refuses a body that is not a JSON object before botbuilder sees it', async () => {
    const res = await fetch(`${h.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
    expect(res.status).toBe(400);
    const wrongType = await fetch(`${h.base}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(wrongType.status).toBe(415);
  });
});
