// What every Slack listener needs, passed in by the composition root (no module-level singletons).
import type { WebClient } from '@slack/web-api';
import type { SurfaceDeps } from '../service/surface-deps.js';
import { callForm, clientCallOptions, type JsonPost } from './json-call.js';

/** The shared surface dependencies, under the name this surface's code uses. */
export type SlackDeps = SurfaceDeps;

/**
 * Slack workspace admins and owners may record outcomes for anyone's consultation. Asked with the
 * client's token and API URL, not through the client: App Home asks on every open, and a workspace's real
 * WebClient (~26 KB, ~280 bound methods) built for it, with more workspaces than the bounded cache keeps,
 * was garbage that lived long enough for the old generation (bench:scale: a major collection every ~3 s
 * and App Home's p99 at 45–50 ms against a 3 ms p50, on both databases).
 */
export async function isWorkspaceAdmin(client: WebClient, userId: string, post?: JsonPost): Promise<boolean> {
  const info = await callForm(clientCallOptions(client, post), 'users.info', { user: userId });
  const user = info.user as { is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean } | undefined;
  return Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner);
}

