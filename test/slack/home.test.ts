// App Home: opening the Home tab publishes the user's consultations, open predictions and accuracy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { allText, checkpoint, consultViaModal, startSlackApp, TEAM, USER, type SlackHarness, type ViewArg } from './harness.js';

let h: SlackHarness;
let seq = 0;

beforeAll(async () => {
  h = await startSlackApp();
});

afterAll(async () => {
  await h?.stop();
});

/** Sends app_home_opened for the Home tab and returns the published view's text. */
async function openHome(user = USER, tab = 'home'): Promise<{ view: ViewArg; text: string }> {
  const mark = checkpoint(h.api);
  const res = await h.event({ type: 'app_home_opened', user, channel: 'D0001', tab, event_ts: `1700004000.00${++seq}` }, `EvHome${seq}`);
  expect(res.status).toBe(200);
  const [publish] = await mark.wait('views.publish');
  expect(publish!.args.user_id).toBe(user);
  const view = publish!.args.view as ViewArg;
  expect(view.type).toBe('home');
  return { view, text: allText(publish!).join('\n') };
}

describe('App Home', () => {
  it('shows no consultations and no accuracy before anything exists', async () => {
    const { text } = await openHome();
    expect(text).toContain('_None yet._');
    expect(text).toContain('No resolved predictions yet');
    expect(text).toContain('0 open predictions in this workspace');
  });

  it('ignores the Messages tab', async () => {
    const mark = checkpoint(h.api);
    await h.event({ type: 'app_home_opened', user: USER, channel: 'D0001', tab: 'messages', event_ts: '1700004100.000001' }, 'EvHomeMessages');
    // Observable later event: the Home tab's publish; one for the Messages tab would have come first.
    await openHome();
    expect(mark.calls('views.publish')).toHaveLength(1);
  });

  it('lists the user’s consultation once one exists, with its open predictions', async () => {
    const { id } = await consultViaModal(h, { viewId: 'VHOME1', visibility: 'me', text: 'should we use kubernetes? <!here>' });
    const predictions = h.query((db) => (db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE consultation_id = ?').get(id) as { n: number }).n);
    const { view, text } = await openHome();
    expect(text).not.toContain('_None yet._');
    const entry = view.blocks.find((b) => b.text?.text.includes(`\`${id}\``));
    expect(entry, 'a section for the consultation').toBeDefined();
    expect(entry!.text!.text).toContain('kubernetes');
    expect(entry!.text!.text).toContain('should we use kubernetes? &lt;!here&gt;');
    expect(text).not.toContain('<!here>');
    expect(text).toContain(`${predictions} open predictions in this workspace`);
    expect(text).toContain('No resolved predictions yet');

    // Someone else sees the workspace's open predictions but not this consultation.
    const other = await openHome('U0002');
    expect(other.text).toContain('_None yet._');
    expect(other.text).not.toContain(id);
    expect(other.text).toContain(`${predictions} open predictions in this workspace`);
  });

  it('shows accuracy once an outcome is recorded', async () => {
    const row = h.query((db) => db.prepare('SELECT id FROM consultations WHERE workspace = ? AND user_id = ?').get(TEAM, USER) as { id: string });
    const open = h.query((db) => (db.prepare('SELECT COUNT(*) AS n FROM predictions WHERE consultation_id = ?').get(row.id) as { n: number }).n);
    // Record outcomes as the CLI's `resolve` would, through the real store on the same database file.
    const store = openSqliteStore(h.dbPath);
    try {
      const modes = (await store.consultations.predictions(TEAM, row.id)).map((p) => p.failureMode);
      await store.consultations.recordOutcomes(TEAM, row.id, { failureModes: { [modes[0]!]: true, [modes[1]!]: false } }, USER, Date.now());
    } finally {
      await store.close();
    }
    const { text } = await openHome();
    expect(text).not.toContain('No resolved predictions yet');
    expect(text).toMatch(/\*2\* resolved predictions · Brier \d\.\d{3}/);
    expect(text).toContain(`${open - 2} open predictions in this workspace`);
  });
});
