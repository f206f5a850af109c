// Help with one button per topic: shown for /reality-check help, an empty command, and a DM that is
// not an architecture question.
import type { KnownBlock } from '@slack/types';
import type { KnowledgeBase } from '../../knowledge/load.js';
import { limit, LIMITS } from '../escape.js';

export const TOPIC_BUTTON_ACTION = 'start_topic';

export function renderHelpBlocks(kb: KnowledgeBase, options: { intro?: string; inDm: boolean }): KnownBlock[] {
  const how = options.inDm
    ? 'Ask me about an architecture decision in a message — “should we use Kubernetes?” — or pick a topic:'
    : 'Type `/reality-check <your question>`, for example `/reality-check should we use Kubernetes?`, or pick a topic:';
  const buttons = [...kb.topics.values()].map((t) => ({
    type: 'button' as const,
    action_id: `${TOPIC_BUTTON_ACTION}:${t.id}`,
    text: { type: 'plain_text' as const, text: limit(t.title, LIMITS.buttonText) },
    value: t.id,
  }));
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `${options.intro ? `${options.intro}\n\n` : ''}*reality-check* answers architecture questions with what happens in production: a verdict, the failure modes it predicts with probabilities, cost and time ranges, and what works instead. It checks back later and scores itself.\n\n${how}`,
      },
    },
    { type: 'actions', block_id: 'topics', elements: buttons.slice(0, 25) },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: '`/reality-check history [words]` search past decisions here · `/reality-check list` your consultations · `/reality-check resolve <id>` record what happened · `/reality-check digest #channel monday 09:00 Europe/Berlin` weekly accuracy digest (admins)' }],
    },
  ];
}
