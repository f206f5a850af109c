// What the knowledge base is missing, seen from Slack: a question that falls to the general assessment
// counts its subject for the workspace, a question that matched a topic counts nothing, and App Home
// shows the top five to admins only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allText, checkpoint, openModal, startSlackApp, TEAM, type SlackHarness } from './harness.js';

const ADMIN = 'UADMINGAPS';
let h: SlackHarness;
let seq = 0;

beforeAll(async () => {
  h = await startSlackApp();
  h.api.admins.add(ADMIN);
});

afterAll(async () => {
  await h?.stop();
});

const gaps = (): Array<{ workspace: string; term: string; asks: number }> =>
  h.query((db) => db.prepare('SELECT workspace, term, asks FROM detection_gaps ORDER BY asks DESC, term').all() as Array<{ workspace: string; term: string; asks: number }>);

async function homeText(user: string): Promise<string> {
  const mark = checkpoint(h.api);
  const res = await h.event({ type: 'app_home_opened', user, channel: 'D0001', tab: 'home', event_ts: `1700005000.00${++seq}` }, `EvGapsHome${seq}`);
  expect(res.status).toBe(200);
  const [publish] = await mark.wait('views.publish');
  return allText(publish!).join('\n');
}

describe('knowledge gaps from Slack', () => {
  it('counts the subject of questions the knowledge base has no topic for, per workspace', async () => {
    await openModal(h, 'should we adopt Kafka for event streaming between our services?');
    await openModal(h, 'is kafka worth it for our order events');
    await openModal(h, 'should we move to GraphQL for the mobile API?');
    await openModal(h, 'should we use Kubernetes?'); // a topic of its own: nothing missing
    // The count is written beside the reply, not before it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gaps()).toEqual([
      { workspace: TEAM, term: 'kafka', asks: 2 },
      { workspace: TEAM, term: 'graphql', asks: 1 },
    ]);
  });

  it('App Home shows admins the most-asked gaps, and nobody else', async () => {
    const admin = await homeText(ADMIN);
    expect(admin).toContain('Asked about, no war stories yet');
    expect(admin).toMatch(/kafka\*? — asked 2 times/);
    expect(admin).toMatch(/graphql\*? — asked 1 time\b/);
    const member = await homeText('UMEMBERGAPS');
    expect(member).not.toContain('Asked about, no war stories yet');
    expect(member).not.toContain('kafka');
  });
});
