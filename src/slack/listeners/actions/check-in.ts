// Check-in buttons: record one failure mode's outcome, open the actual cost/time modal, or mark the
// decision as not adopted. Only the asker or a workspace admin may record; others get a refusal.
import type { BlockButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { buildCheckInView } from '../../../present/check-in.js';
import { MAX_STORY_LENGTH } from '../../../service/consult-service.js';
import { ACTUALS_CALLBACK, CHECK_IN_ACTIONS, FOLLOWED_INPUT, renderActualsModal, renderCheckInBlocks, STORY_INPUTS } from '../../blocks/check-in.js';
import { isWorkspaceAdmin, type SlackDeps } from '../../deps.js';
import type { JsonPost } from '../../json-call.js';
import type { ListenerRouter } from '../../router.js';

const outcomeValue = z.object({ id: z.string(), fm: z.string(), a: z.enum(['happened', 'not-happened', 'too-early']) });

async function actor(client: WebClient, deps: SlackDeps, workspace: string, id: string, userId: string, post?: JsonPost) {
  const row = await deps.service.get(workspace, id);
  return { userId, isAdmin: row.userId === userId ? false : await isWorkspaceAdmin(client, userId, post) };
}

async function refresh(client: WebClient, deps: SlackDeps, body: BlockButtonAction, workspace: string, id: string): Promise<void> {
  const channel = body.container?.channel_id ?? body.channel?.id;
  const ts = body.message?.ts;
  if (!channel || !ts) return;
  const row = await deps.service.get(workspace, id);
  const view = buildCheckInView(row, await deps.store.consultations.predictions(workspace, id), false);
  await client.chat.update({ channel, ts: String(ts), text: `Check-in for ${id}`, blocks: renderCheckInBlocks(view) });
}

export function register(router: ListenerRouter, deps: SlackDeps, post?: JsonPost): void {
  router.action<BlockButtonAction>(new RegExp(`^${CHECK_IN_ACTIONS.outcome}:`), async ({ ack, action, body, client }) => {
    await ack();
    const { id, fm, a } = outcomeValue.parse(JSON.parse(action.value ?? '{}'));
    const workspace = body.team?.id ?? body.user.team_id ?? 'unknown';
    const who = await actor(client, deps, workspace, id, body.user.id, post);
    await deps.service.resolve(workspace, id, who, { failureModes: { [fm]: a === 'too-early' ? null : a === 'happened' } });
    await refresh(client, deps, body, workspace, id);
  });

  router.action<BlockButtonAction>(CHECK_IN_ACTIONS.notAdopted, async ({ ack, action, body, client }) => {
    await ack();
    const workspace = body.team?.id ?? body.user.team_id ?? 'unknown';
    const id = action.value ?? '';
    await deps.service.resolve(workspace, id, await actor(client, deps, workspace, id, body.user.id, post), { failureModes: {}, notAdopted: true });
    await refresh(client, deps, body, workspace, id);
  });

  router.action<BlockButtonAction>(CHECK_IN_ACTIONS.actuals, async ({ ack, action, body, client }) => {
    await ack();
    const id = action.value ?? '';
    const row = await deps.store.consultations.get(body.team?.id ?? body.user.team_id ?? 'unknown', id);
    // The note is shown again only to the person who wrote it.
    const story = row?.story && row.story.recordedBy === body.user.id ? { text: row.story.text, private: row.story.private } : null;
    await client.views.open({ trigger_id: body.trigger_id, view: renderActualsModal(id, story) });
  });

  router.view(ACTUALS_CALLBACK, async ({ ack, view, body, client }) => {
    const id = view.private_metadata;
    const read = (block: string): number | null => {
      const raw = view.state.values[block]?.[block]?.value;
      return raw === undefined || raw === null || raw === '' ? null : Number(raw);
    };
    const cost = read('cost');
    const months = read('months');
    const storyText = (view.state.values[STORY_INPUTS.text]?.[STORY_INPUTS.text]?.value ?? '').trim();
    const keepPrivate = (view.state.values[STORY_INPUTS.private]?.[STORY_INPUTS.private]?.selected_options ?? []).some((o) => o.value === 'private');
    const followed = view.state.values[FOLLOWED_INPUT]?.[FOLLOWED_INPUT]?.selected_option?.value;
    const errors: Record<string, string> = {};
    if (storyText.length > MAX_STORY_LENGTH) errors[STORY_INPUTS.text] = `A sentence or two, please: at most ${MAX_STORY_LENGTH} characters.`;
    if (cost !== null && !(Number.isFinite(cost) && cost >= 0)) errors.cost = 'Enter a number of dollars, 0 or more.';
    if (months !== null && !(Number.isFinite(months) && months >= 0)) errors.months = 'Enter a number of months, 0 or more.';
    if (Object.keys(errors).length) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    const workspace = body.team?.id ?? body.user.team_id ?? 'unknown';
    const who = await actor(client, deps, workspace, id, body.user.id, post);
    const row = await deps.service.get(workspace, id);
    if (row.userId !== who.userId && !who.isAdmin) {
      await ack({ response_action: 'errors', errors: { cost: 'Only the person who asked (or a workspace admin) can record outcomes.' } });
      return;
    }
    await ack();
    // An emptied box takes back the note it showed (only its author sees it prefilled); otherwise an
    // empty box changes nothing.
    const story = storyText ? { text: storyText, private: keepPrivate, author: body.user.name ?? null } : row.story?.recordedBy === who.userId ? null : undefined;
    await deps.service.resolve(workspace, id, who, {
      failureModes: {},
      actualCost: cost,
      actualMonths: months,
      notAdopted: row.notAdopted,
      ...(story === undefined ? {} : { story }),
      ...(followed === 'yes' || followed === 'no' ? { followedAlternative: followed === 'yes' } : {}),
    });
    const note = story ? ` Your note is saved${story.private ? ' and kept private: it counts, but nobody will see it quoted' : ': the next person here who asks about this will see it'}.` : story === null ? ' Your earlier note is removed.' : '';
    await client.chat.postMessage({ channel: body.user.id, text: `Recorded for \`${id}\`: cost ${cost ?? 'not yet known'}, months ${months ?? 'not yet known'}.${note} Thank you — this is how the predictions get better.` });
  });
}
