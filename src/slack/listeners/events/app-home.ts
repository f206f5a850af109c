// App Home: publish my decision log (with outcomes and stories), open predictions and the workspace's
// accuracy when opened. The counts and scores come from the workspace's running totals: one row, however
// long its history.
import type { App } from '@slack/bolt';
import { buildHomeView, homeAccuracyFromTotals } from '../../../present/home.js';
import { renderHomeView } from '../../blocks/home.js';
import { isWorkspaceAdmin, type SlackDeps } from '../../deps.js';
import type { JsonPost } from '../../json-call.js';
import { jsonWebApi } from '../../post.js';

/** Both calls go as plain posts (`post`), so no WebClient is built for the workspace (slack/client-pools). */
export function register(app: App, deps: SlackDeps, post?: JsonPost): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const workspace = body.team_id;
    const c = deps.store.consultations;
    const [mine, totals] = await Promise.all([c.decisions(workspace, { userId: event.user, limit: 15 }), c.totals(workspace)]);
    const home = buildHomeView(mine, deps.kb, totals.openPredictions, homeAccuracyFromTotals(totals), deps.service.clock.now());
    // Admins also see what the knowledge base is missing here (one users.info call; a failure hides it).
    if (await isWorkspaceAdmin(client, event.user, post).catch(() => false)) home.gaps = await deps.service.gaps(workspace, 5);
    await jsonWebApi(client, post)('views.publish', { user_id: event.user, view: renderHomeView(home) });
  });
}
