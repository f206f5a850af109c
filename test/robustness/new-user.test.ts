// What a new user does, against what `npm start` runs (the bundled server as a child process, with the
// tokens in its environment): a channel consultation through the slash command's modal and a DM
// consultation both end in a verdict. Only Slack's Web API is the local fake.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.js';
import { readDatabase } from '../helpers/db.js';
import { actionIds, blocksOf, buttonValue, checkpoint, consultViaModal, messageAction, postedTs, SECRET, slackPeer, TEAM, USER, type SlackPeer } from '../slack/harness.js';
import { killHard, startApp, type RunningApp } from './app-process.js';

let api: FakeSlackApi;
let app: RunningApp;
let slack: SlackPeer;
let dir: string;

beforeAll(async () => {
  api = new FakeSlackApi();
  await api.start();
  dir = mkdtempSync(join(tmpdir(), 'rc-new-user-'));
  app = await startApp({ SLACK_BOT_TOKEN: 'xoxb-new-user', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: api.url, DATABASE_PATH: join(dir, 'db.sqlite'), SCHEDULER_INTERVAL_MS: '0' });
  slack = slackPeer(api, () => app.port);
});

afterAll(async () => {
  await killHard(app);
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const VERDICT_BUTTONS = ['verdict_explain', 'verdict_export_adr', 'verdict_change_check_in'];

function storedConsultations(): Array<{ id: string; channel: string; topic: string }> {
  return readDatabase(join(dir, 'db.sqlite'), (db) => db.prepare('SELECT id, channel, topic FROM consultations ORDER BY created_at').all() as Array<{ id: string; channel: string; topic: string }>);
}

/** The first answer on the questionnaire step a DM message shows, as the click Slack would send. */
function firstAnswer(message: RecordedCall): Record<string, unknown> | null {
  const block = blocksOf(message).find((b) => b.block_id?.startsWith('answer:'));
  const button = block?.elements?.[0];
  return block && button ? { type: 'button', action_id: button.action_id, block_id: block.block_id, value: button.value, text: button.text } : null;
}

describe('a new user, against the app as npm start runs it', () => {
  it('asks in a channel: slash command → modal → verdict posted in the channel', async () => {
    const { verdict, id } = await consultViaModal(slack, { text: 'should we use Kubernetes?', viewId: 'VNEWUSER1', visibility: 'channel' });
    expect(verdict.args.channel).toBe('C0001');
    expect(actionIds(verdict)).toEqual(VERDICT_BUTTONS);
    expect(storedConsultations()).toContainEqual({ id, channel: 'C0001', topic: 'kubernetes' });
  });

  it('asks in a DM: one question at a time in a thread, then the verdict in the same message', async () => {
    const DM = 'D0NEWUSER';
    const threadTs = '1700009000.000100';
    const mark = checkpoint(api);
    const res = await slack.event({ type: 'message', channel: DM, channel_type: 'im', user: USER, text: 'should we split our monolith into microservices?', ts: threadTs, event_ts: threadTs, team: TEAM }, 'EvNewUser1');
    expect(res.status).toBe(200);
    const [first] = await mark.wait('chat.postMessage');
    expect(first!.args).toMatchObject({ channel: DM, thread_ts: threadTs });
    const messageTs = postedTs(first!);

    let message = first!;
    let clicks = 0;
    for (let answer = firstAnswer(message); answer && clicks < 20; answer = firstAnswer(message), clicks++) {
      const step = checkpoint(api);
      const clicked = await slack.interact(messageAction({ channel: DM, messageTs, threadTs, action: answer }));
      expect(clicked.status).toBe(200);
      [message] = (await step.wait('chat.update')) as [RecordedCall];
      expect(message.args).toMatchObject({ channel: DM, ts: messageTs });
    }
    expect(clicks).toBeGreaterThanOrEqual(3);
    expect(actionIds(message)).toEqual(VERDICT_BUTTONS);
    expect(storedConsultations()).toContainEqual({ id: buttonValue(message, 'verdict_explain'), channel: DM, topic: 'microservices' });
  });
});
