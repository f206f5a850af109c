// Bolt's per-workspace WebClient pools stay bounded however many workspaces send requests (bench:scale:
// unbounded, they held ~100 MB after 5,000 workspaces). Checked against the real Bolt app's own map, so
// a Bolt upgrade that renames or reshapes it fails here instead of quietly leaking again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CLIENT_POOLS } from '../../src/slack/client-pools.js';
import { startSlackApp, type SlackHarness } from './harness.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackApp();
});
afterAll(async () => {
  await h?.stop();
});

describe("Bolt's client pools", () => {
  it(`keeps at most ${MAX_CLIENT_POOLS} workspaces' pools, the most recently seen`, { timeout: 120_000 }, async () => {
    const pools = (h.app.slack!.app as unknown as { clients?: Record<string, unknown> }).clients;
    expect(pools).toBeDefined();
    const workspaces = MAX_CLIENT_POOLS + 150;
    for (let i = 0; i < workspaces; i += 25) {
      await Promise.all(Array.from({ length: 25 }, async (_, k) => {
        const res = await h.command('help', { team_id: `TP${i + k}` });
        expect(res.status).toBe(200);
      }));
    }
    expect(Object.keys(pools!).length).toBeLessThanOrEqual(MAX_CLIENT_POOLS);
    expect(pools).toHaveProperty(`TP${workspaces - 1}`);
    expect(pools).not.toHaveProperty('TP0');
  });
});
