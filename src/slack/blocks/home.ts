// App Home: my decision log (verdicts, outcomes, stories, check-in dates), open predictions and the
// workspace's accuracy.
import type { KnownBlock, View } from '@slack/types';
import type { HomeView } from '../../present/home.js';
import { escapeText, limit } from '../escape.js';
import { decisionText } from './decision-log.js';

export function renderHomeView(home: HomeView): View {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'reality-check' } },
    { type: 'section', text: { type: 'mrkdwn', text: 'Ask with `/reality-check <question>` in any channel, or write to me here in Messages.' } },
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Your decision log' } },
  ];
  if (home.consultations.length === 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '_None yet._ Try `/reality-check should we use Kubernetes?`' } });
  }
  for (const c of home.consultations.slice(0, 15)) {
    const checkIn = `_check-in ${c.checkIn}${c.due ? ' (due — record what happened with `/reality-check resolve ' + c.id + '`)' : ''}_`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: decisionText(c, checkIn) } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Search everyone’s past decisions here with `/reality-check history <words>`.' }] });
  blocks.push(
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Workspace accuracy' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: home.accuracy
          ? `*${home.accuracy.resolved}* resolved predictions · Brier ${home.accuracy.brierText}\nBaseline: ${home.accuracy.baselineText}\nCost: ${home.accuracy.costHitText}\nTime: ${home.accuracy.timeHitText}`
          : 'No resolved predictions yet. Accuracy appears once people record what happened at their check-ins.',
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${home.openPredictions} open predictions in this workspace` }] },
  );
  if (home.gaps && home.gaps.length > 0) {
    blocks.push(
      { type: 'divider' },
      { type: 'header', text: { type: 'plain_text', text: 'Asked about, no war stories yet' } },
      { type: 'section', text: { type: 'mrkdwn', text: home.gaps.slice(0, 5).map((g) => `• *${escapeText(limit(g.term, 80))}* — asked ${g.asks} time${g.asks === 1 ? '' : 's'}`).join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Only admins see this: questions that got the general assessment because the knowledge base has no topic for them. `reality-check kb gaps` lists them all.' }] },
    );
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
