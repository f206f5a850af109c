// Help with one button per topic: the welcome on install, and the answer to a greeting or to a
// message that is not an architecture question.
import type { KnowledgeBase } from '../../knowledge/load.js';
import { ACTIONS } from '../submit-data.js';
import { escapeMarkdown as md, limit } from '../text.js';
import { card, text, type AdaptiveCard } from './types.js';

export function renderHelpCard(kb: KnowledgeBase, options: { intro?: string; inChannel: boolean }): AdaptiveCard {
  const how = options.inChannel
    ? 'Mention me with your question — “@reality-check should we use Kubernetes?” — or pick a topic:'
    : 'Ask me about an architecture decision — “should we use Kubernetes?” — or pick a topic:';
  return card(
    [
      ...(options.intro ? [text(md(options.intro), { weight: 'Bolder' })] : []),
      text(
        '**reality-check** answers architecture questions with what happens in production: a verdict, the failure modes it predicts with probabilities, cost and time ranges, and what works instead. It checks back later and scores itself.',
      ),
      text(how),
      {
        type: 'ActionSet',
        actions: [...kb.topics.values()].slice(0, 12).map((t) => ({ type: 'Action.Submit' as const, title: limit(t.title, 40), data: { rc: ACTIONS.startTopic, topic: t.id } })),
      },
      text('Commands: **list** your consultations · **resolve <id>** record what happened · **digest monday 09:00 Europe/Berlin** (in a channel) send the weekly accuracy digest there.', { isSubtle: true, size: 'Small' }),
    ],
    [],
    'Ask me about an architecture decision, for example “should we use Kubernetes?”',
  );
}
