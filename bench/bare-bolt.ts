// The baseline for the Slack benchmarks: a bare Bolt 5 app that acks a slash command and opens a
// one-block modal, on Bolt's own HTTP receiver. Nothing else.
import bolt from '@slack/bolt';

const app = new bolt.App({
  token: 'xoxb-bench',
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL! },
  logLevel: bolt.LogLevel.WARN,
});
app.command('/reality-check', async ({ ack, client, command }) => {
  await ack();
  await client.views.open({
    trigger_id: command.trigger_id,
    view: { type: 'modal', title: { type: 'plain_text', text: 'Reality check' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: command.text || 'hi' } }] },
  });
});
await app.start(Number(process.env.PORT));
