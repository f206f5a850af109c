// When the database cannot be reached (PostgreSQL restarting, a failover), Slack users get "try again
// in a moment" where they acted, never Slack's own error: a modal keeps its answers, a command answers.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isAppError } from '../errors.js';
import type { Logger } from '../log.js';

export const UNAVAILABLE_TEXT = 'reality-check cannot reach its database for a moment. Nothing was lost — try again in a minute.';

type Args = AnyMiddlewareArgs & { ack?: (response?: unknown) => Promise<void>; client: WebClient; context: { botToken?: string } };

/** An input block of the submitted modal, where Slack can show an error without closing it. */
function firstInputBlock(body: unknown): string | undefined {
  const view = (body as { view?: { blocks?: Array<{ type?: string; block_id?: string }>; state?: { values?: Record<string, unknown> } } }).view;
  return view?.blocks?.find((b) => b.type === 'input' && b.block_id)?.block_id ?? Object.keys(view?.state?.values ?? {})[0];
}

/** True when the error, or what it wraps (Bolt wraps authorize and listener errors), is the database being out of reach. */
export function causedByUnavailableDatabase(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (isAppError(e) && e.code === 'DATABASE_UNAVAILABLE') return true;
    e = (e as { original?: unknown; cause?: unknown }).original ?? (e as { cause?: unknown }).cause;
  }
  return false;
}

export function unavailableMiddleware(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (raw) => {
    const args = raw as unknown as Args & { next: () => Promise<void> };
    try {
      await args.next();
    } catch (error) {
      if (!causedByUnavailableDatabase(error)) throw error;
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'database unavailable: the user was asked to try again');
      const body = args.body as { type?: string; user?: { id?: string }; user_id?: string; event?: { user?: string; channel?: string; ts?: string } };
      const acked = await tryAck(args, body);
      if (acked) return;
      const user = body.user?.id ?? body.user_id ?? body.event?.user;
      if (user) {
        await args.client.chat
          .postMessage({ ...(args.context.botToken ? { token: args.context.botToken } : {}), channel: body.event?.channel ?? user, ...(body.event?.ts ? { thread_ts: body.event.ts } : {}), text: UNAVAILABLE_TEXT })
          .catch((e: Error) => logger.warn({ err: e.message }, 'could not tell the user the database is unavailable'));
      }
    }
  };
}

/** Answers in the request itself when it has not been acknowledged yet; false when it already was. */
async function tryAck(args: Args, body: { type?: string }): Promise<boolean> {
  if (!args.ack) return false;
  const block = body.type === 'view_submission' ? firstInputBlock(body) : undefined;
  const response = body.type === 'view_submission'
    ? block ? { response_action: 'errors', errors: { [block]: `${UNAVAILABLE_TEXT} Your answers are still here: submit again.` } } : undefined
    : body.type === undefined || body.type === 'slash_command' || 'command' in body
      ? { response_type: 'ephemeral', text: UNAVAILABLE_TEXT }
      : undefined;
  try {
    await args.ack(response);
    return body.type === 'view_submission' || response !== undefined;
  } catch {
    return false; // already acknowledged: the user is told by message instead
  }
}
