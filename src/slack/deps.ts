// What every Slack listener needs, passed in by the composition root (no module-level singletons).
import type { WebClient } from '@slack/web-api';
import type { SurfaceDeps } from '../service/surface-deps.js';

/** The shared surface dependencies, under the name this surface's code uses. */
export type SlackDeps = SurfaceDeps;

/** Slack workspace admins and owners may record outcomes for anyone's consultation. */
export async function isWorkspaceAdmin(client: WebClient, userId: string): Promise<boolean> {
  const info = await client.users.info({ user: userId });
  return Boolean(info.user?.is_admin || info.user?.is_owner || info.user?.is_primary_owner);
}

