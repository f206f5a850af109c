// Modal submission: validate (errors shown on the failing block), assess, store, post. The
// consultation id comes from the view id, so a redelivered submission finds the stored one.
import { checkAnswers } from '../../../consult/questionnaire.js';
import { MODAL_CALLBACK, modalMetadataSchema, questionBlockId, VISIBILITY_BLOCK, type Visibility } from '../../blocks/modal.js';
import { consultationIdFromKey } from '../../../service/consult-service.js';
import type { SlackDeps } from '../../deps.js';
import { messageLink } from '../../permalink.js';
import type { JsonPost } from '../../json-call.js';
import { jsonWebApi, postVerdict } from '../../post.js';
import type { ListenerRouter } from '../../router.js';

type StateValues = Record<string, Record<string, { selected_option?: { value: string } | null }>>;

/** `post` sends the verdict's JSON bodies (undici unless the metrics wrap it). */
export function register(router: ListenerRouter, deps: SlackDeps, post?: JsonPost): void {
  router.view(MODAL_CALLBACK, async ({ ack, view, body, client }) => {
    const meta = modalMetadataSchema.parse(JSON.parse(view.private_metadata));
    const topic = deps.kb.topics.get(meta.topic);
    const values = view.state.values as StateValues;
    const picked = (blockId: string): string | undefined => {
      const block = values[blockId];
      if (!block) return undefined;
      return Object.values(block)[0]?.selected_option?.value;
    };
    if (!topic) {
      await ack({ response_action: 'errors', errors: { topic: 'Pick a topic from the list.' } });
      return;
    }
    const raw: Record<string, string> = {};
    for (const q of topic.questions) {
      const value = picked(questionBlockId(q.id));
      if (value !== undefined) raw[q.id] = value;
    }
    const checked = checkAnswers(topic, raw);
    if ('errors' in checked) {
      const errors = Object.fromEntries(Object.entries(checked.errors).map(([qid, message]) => [questionBlockId(qid), message.slice(0, 150)]));
      await ack({ response_action: 'errors', errors });
      return;
    }
    const pruned = checked.answers;
    const visibility = (picked(VISIBILITY_BLOCK) ?? (meta.dm ? 'me' : 'thread')) as Visibility;
    const teamId = body.team?.id ?? body.user.team_id ?? 'unknown';
    const result = await deps.service.consult({
      id: consultationIdFromKey(`slack-view:${teamId}:${view.id}`, meta.at),
      workspace: teamId,
      platform: 'slack',
      channel: meta.channel,
      userId: body.user.id,
      question: meta.question,
      topic: topic.id,
      answers: pruned,
      checkInDays: deps.checkInDays,
      ...(meta.source ? { sourceUrl: meta.source.url } : {}),
    });
    // Saved (and committed) before Slack hears "ok": an acknowledged submission is never lost.
    await ack();
    if (!result.created) return; // a redelivery: it was posted the first time
    deps.logger.info({ consultationId: result.row.id, topic: topic.id, surface: 'slack-modal', workspace: teamId }, 'consultation saved');
    const posted = await postVerdict(jsonWebApi(client, post), deps.logger, { visibility, channel: meta.dm ? null : meta.channel, userId: body.user.id, ...(meta.source ? { threadTs: meta.source.threadTs } : {}) }, result.view);
    // The verdict's link is how the workspace's record and its search point back at this consultation.
    if (posted) await deps.store.consultations.setVerdictUrl(teamId, result.row.id, messageLink({ domain: body.team?.domain, ...posted }));
  });
}
