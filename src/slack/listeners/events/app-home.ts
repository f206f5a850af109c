// App Home: publish my consultations, open predictions and the workspace's accuracy when opened. The
// counts and scores come from the workspace's running totals: one row, however long its history.
import type { App } from '@slack/bolt';
import { buildHomeView, homeAccuracyFromTotals } from '../../../present/home.js';
import { renderHomeView } from '../../blocks/home.js';
import type { SlackDeps } from '../../deps.js';

export function register(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const workspace = body.team_id;
    const c = deps.store.consultations;
    const [mine, totals] = await Promise.all([c.listForUser(workspace, event.user, 15), c.totals(workspace)]);
    const home = buildHomeView(mine, totals.openPredictions, homeAccuracyFromTotals(totals), deps.service.clock.now());
    await client.views.publish({ user_id: event.user, view: renderHomeView(home) });
  });
}
