// Bolt's per-workspace WebClients: a request gets a lazy one, built only when a listener calls a method on
// it, and the real ones kept stay bounded however many workspaces send requests (bench:scale: unbounded,
// they held ~100 MB after 5,000 workspaces; bounded, nearly every request built one). Checked through the
// real Bolt app, so a Bolt upgrade that renames or reshapes its pools fails here instead of quietly
// building a client per request again.
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientCache, lazyClient } from '../../src/slack/client-pools.js';
import { blocksOf, checkpoint, messageAction, openModal, postedTs, startSlackApp, USER, type SlackHarness } from './harness.js';

const API = 'http://127.0.0.1:9/api/';
/** The team id a client adds to its calls (private in the Web API client's types, read by Bolt all the same). */
const teamOf = (client: WebClient): unknown => (client as unknown as { teamId?: string }).teamId;

describe('ClientCache', () => {
  it('keeps the most recently used clients up to its bound, one per team and token', () => {
    const cache = new ClientCache(3);
    const a = cache.get('xoxb-a', { teamId: 'TA' });
    cache.get('xoxb-b', { teamId: 'TB' });
    cache.get('xoxb-c', { teamId: 'TC' });
    expect(cache.get('xoxb-a', { teamId: 'TA' })).toBe(a);
    cache.get('xoxb-d', { teamId: 'TD' });
    expect(cache.size).toBe(3);
    expect(cache.built).toBe(4);
    // b was the least recently used: asked again, it is built again; a was kept.
    expect(cache.get('xoxb-a', { teamId: 'TA' })).toBe(a);
    cache.get('xoxb-b', { teamId: 'TB' });
    expect(cache.built).toBe(5);
    // An org-wide token serves many teams, each with its own client adding its team_id to calls.
    const t1 = cache.get('xoxb-org', { teamId: 'T1' });
    const t2 = cache.get('xoxb-org', { teamId: 'T2' });
    expect(t1).not.toBe(t2);
    expect([teamOf(t1), teamOf(t2)]).toEqual(['T1', 'T2']);
  });
});

describe('lazyClient', () => {
  it('answers token, team id and API URL without building, and builds once on first use of anything else', () => {
    const cache = new ClientCache();
    const client = lazyClient('xoxb-lazy', { teamId: 'TL', slackApiUrl: API }, API, cache);
    expect(client).toBeInstanceOf(WebClient);
    expect([client.token, teamOf(client), client.slackApiUrl]).toEqual(['xoxb-lazy', 'TL', API]);
    expect(cache.built).toBe(0);
    expect(typeof client.chat.postMessage).toBe('function');
    expect(typeof client.apiCall).toBe('function');
    expect(cache.built).toBe(1);
    const real = cache.get('xoxb-lazy', { teamId: 'TL' });
    expect([real.token, teamOf(real)]).toEqual(['xoxb-lazy', 'TL']);
    expect(cache.built).toBe(1);
  });
});

describe("Bolt's client pools in the app", () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackApp();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('builds no WebClient for slash commands from many workspaces, a DM questionnaire or App Home', { timeout: 60_000 }, async () => {
    const clients = h.app.slack!.clients;
    const pools = (h.app.slack!.app as unknown as { clients: Record<string, unknown> }).clients;
    const teams = 40;
    for (let i = 0; i < teams; i++) expect((await openModal(h, 'should we use kubernetes?', { team_id: `TP${i}` })).type).toBe('modal');
    expect(h.api.callsTo('views.open').length).toBeGreaterThanOrEqual(teams);
    expect(clients.built).toBe(0);
    expect(Object.keys(pools)).toEqual([]);

    // A DM questionnaire, walked to its verdict: its posts and updates are JSON bodies, no client either.
    const threadTs = '1700009100.000100';
    let mark = checkpoint(h.api);
    await h.event({ type: 'message', channel: 'D0001', channel_type: 'im', user: USER, text: 'should we split the monolith into microservices?', ts: threadTs, event_ts: threadTs }, 'EvPoolsDm');
    let latest = (await mark.wait('chat.postMessage'))[0]!;
    const messageTs = postedTs(latest);
    for (let step = 0; step < 20 && !blocksOf(latest).some((b) => b.block_id === 'verdict_actions'); step++) {
      const block = blocksOf(latest).find((b) => b.block_id?.startsWith('answer:'));
      expect(block, `step ${step} asks a question or shows the verdict`).toBeDefined();
      const button = block!.elements![0]!;
      mark = checkpoint(h.api);
      const action = { type: 'button', action_id: button.action_id, block_id: block!.block_id, value: button.value, text: button.text };
      expect((await h.interact(messageAction({ channel: 'D0001', messageTs, threadTs, action }))).status).toBe(200);
      latest = (await mark.wait('chat.update'))[0]!;
    }
    expect(blocksOf(latest).some((b) => b.block_id === 'verdict_actions')).toBe(true);
    expect(clients.built).toBe(0);

    // App Home asks users.info and publishes its view as plain posts too: no client either (with more
    // workspaces than the cache keeps, every open built one, ~26 KB of garbage for the old generation).
    for (let n = 1; n <= 2; n++) {
      mark = checkpoint(h.api);
      const res = await h.event({ type: 'app_home_opened', user: USER, channel: 'D0001', tab: 'home', event_ts: `1700009000.00000${n}` }, `EvPools${n}`);
      expect(res.status).toBe(200);
      await mark.wait('views.publish');
      expect(mark.calls('users.info').map((c) => c.args.user)).toEqual([USER]);
    }
    expect(clients.built).toBe(0);
  });
});
