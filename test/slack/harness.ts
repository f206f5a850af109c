// Starts the real service (real Bolt HTTP receiver, real SQLite file in a temp dir) against the fake
// Slack Web API, and sends it requests signed exactly as Slack signs them. Only the Web API is fake.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startServer, type Running } from '../../src/server/start.js';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.js';
import { interactionBody, signed, slashCommandBody } from '../fakes/slack-signing.js';
import { KUBERNETES_ANSWERS } from '../helpers/answers.js';
import { readDatabase } from '../helpers/db.js';

export const SECRET = 'test-signing-secret';
export const FORM = 'application/x-www-form-urlencoded';
export const JSON_TYPE = 'application/json';
export const TEAM = 'T0001';
export const USER = 'U0001';
export const CHANNEL = 'C0001';

export interface PostOptions {
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Adds x-slack-retry-num / x-slack-retry-reason as Slack does on a redelivery. */
  retryNum?: number;
  /** Sign with another secret (a forged request). */
  secret?: string;
  /** Extra or overriding headers. */
  headers?: Record<string, string>;
}

/** The Slack side of a conversation with the app: the fake Web API, and signed requests to the app. */
export interface SlackPeer {
  api: FakeSlackApi;
  /** POST a signed body to /slack/events. */
  post(body: string, contentType: string, options?: PostOptions): Promise<Response>;
  /** A signed slash command `/reality-check <text>` (extra form fields override the defaults). */
  command(text: string, fields?: Record<string, string>, options?: PostOptions): Promise<Response>;
  /** A signed interaction (form body `payload=<json>`). */
  interact(payload: unknown, options?: PostOptions): Promise<Response>;
  /** A signed Events API `event_callback` delivery. */
  event(event: Record<string, unknown>, eventId: string, options?: PostOptions): Promise<Response>;
}

/** Slack as the app at 127.0.0.1:port() sees it (the port may change when the app restarts). */
export function slackPeer(api: FakeSlackApi, port: () => number): SlackPeer {
  const post = (body: string, contentType: string, options: PostOptions = {}): Promise<Response> => {
    const req = signed(options.secret ?? SECRET, body, contentType, {
      ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
      ...(options.retryNum !== undefined ? { retryNum: options.retryNum } : {}),
    });
    return fetch(`http://127.0.0.1:${port()}/slack/events`, { method: 'POST', headers: { ...req.headers, ...(options.headers ?? {}) }, body: req.body });
  };
  return {
    api,
    post,
    command: (text, fields = {}, options) => post(slashCommandBody({ text, ...fields }), FORM, options),
    interact: (payload, options) => post(interactionBody(payload), FORM, options),
    event: (event, eventId, options) =>
      post(
        JSON.stringify({
          token: 'deprecated',
          team_id: TEAM,
          api_app_id: 'A0001',
          event,
          type: 'event_callback',
          event_id: eventId,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [{ team_id: TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
          is_ext_shared_channel: false,
        }),
        JSON_TYPE,
        options,
      ),
  };
}

export interface SlackHarness extends SlackPeer {
  /** The running app; replaced by restart(). */
  readonly app: Running;
  /** http://127.0.0.1:<port> of the running app; changes on restart(). */
  readonly base: string;
  dbPath: string;
  /** Runs `read` on a fresh read-only connection to the app's database file. */
  query<T>(read: (db: Database.Database) => T): T;
  /** Stops the app and starts a new one on the same database file and the same fake. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The environment of an in-process test app: Slack against the fake at `apiUrl`, a free port, quiet. */
export function slackAppEnv(apiUrl: string, dbPath: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_PATH: dbPath,
    LOG_LEVEL: 'silent',
    SHUTDOWN_GRACE_MS: '2000',
  };
}

export async function startSlackApp(overrides: Record<string, string> = {}): Promise<SlackHarness> {
  const api = new FakeSlackApi();
  const url = await api.start();
  const dir = mkdtempSync(join(tmpdir(), 'rc-slack-'));
  const dbPath = overrides.DATABASE_PATH ?? join(dir, 'db.sqlite');
  const env = { ...slackAppEnv(url, dbPath), ...overrides };

  const boot = async (): Promise<Running> => {
    const authBefore = api.callsTo('auth.test').length;
    const running = await startServer(loadConfig(env), { logger: createLogger('silent') });
    // Bolt verifies its token with auth.test as it starts; wait for it so later call counts are stable.
    await api.waitFor('auth.test', authBefore + 1);
    return running;
  };

  let app = await boot();
  let stopped = false;

  return {
    ...slackPeer(api, () => app.port),
    get app() {
      return app;
    },
    get base() {
      return `http://127.0.0.1:${app.port}`;
    },
    dbPath,
    query: (read) => readDatabase(dbPath, read),
    restart: async () => {
      await app.stop();
      app = await boot();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await app.stop();
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- Small readers over what the fake recorded ----------------------------------------------------

export interface Block {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  fields?: Array<{ type: string; text: string }>;
  elements?: Array<Record<string, unknown> & { action_id?: string; value?: string; type: string; text?: unknown }>;
  element?: Record<string, unknown> & { type: string; action_id?: string; options?: Array<{ value: string }>; initial_option?: { value: string } };
  accessory?: Record<string, unknown>;
  optional?: boolean;
}

export interface ViewArg {
  type: string;
  callback_id?: string;
  private_metadata?: string;
  blocks: Block[];
}

export function blocksOf(call: RecordedCall): Block[] {
  const blocks = call.args.blocks ?? (call.args.view as ViewArg | undefined)?.blocks;
  return (Array.isArray(blocks) ? blocks : []) as Block[];
}

/** Every piece of mrkdwn/plain text in a message's blocks, plus its fallback `text`. */
export function allText(call: RecordedCall): string[] {
  const out: string[] = [];
  if (typeof call.args.text === 'string') out.push(call.args.text);
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      if ((obj.type === 'mrkdwn' || obj.type === 'plain_text') && typeof obj.text === 'string') out.push(obj.text);
      Object.values(obj).forEach(walk);
    }
  };
  walk(blocksOf(call));
  return out;
}

/** Action ids of every button/select in a message's blocks. */
export function actionIds(call: RecordedCall): string[] {
  return blocksOf(call).flatMap((b) => [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])].map((e) => e.action_id).filter((id): id is string => typeof id === 'string'));
}

/** The ts the fake answered a chat.postMessage with. */
export function postedTs(call: RecordedCall): string {
  const ts = (call.response as { ts?: string } | undefined)?.ts;
  if (!ts) throw new Error(`no ts in the response to ${call.method}`);
  return ts;
}

let actionSeq = 0;
/** A fresh action_ts, as Slack gives every click its own. */
export function nextActionTs(): string {
  actionSeq += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(100000 + actionSeq).padStart(6, '0')}`;
}

// ---- Slack payloads --------------------------------------------------------------------------------

export { KUBERNETES_ANSWERS };

/** A view_submission as Slack delivers it, for any modal (callback id, metadata and state values). */
export function viewPayload(options: {
  viewId: string;
  callbackId: string;
  privateMetadata: string;
  values: Record<string, Record<string, unknown>>;
  user?: string;
}): Record<string, unknown> {
  const user = options.user ?? USER;
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'fake' },
    user: { id: user, username: 'ada', name: 'ada', team_id: TEAM },
    api_app_id: 'A0001',
    token: 'deprecated',
    trigger_id: `${Date.now()}.42.view`,
    view: {
      id: options.viewId,
      team_id: TEAM,
      type: 'modal',
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata,
      hash: `hash-${options.viewId}`,
      blocks: [],
      state: { values: options.values },
      title: { type: 'plain_text', text: 'Reality check' },
      app_id: 'A0001',
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** The view_submission Slack sends when the consultation modal's submit is pressed. */
export function viewSubmission(options: {
  viewId: string;
  privateMetadata: string;
  answers: Record<string, string>;
  visibility?: 'channel' | 'thread' | 'me';
  user?: string;
}): Record<string, unknown> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [qid, choice] of Object.entries(options.answers)) {
    values[`q:${qid}`] = { choice: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: choice }, value: choice } } };
  }
  if (options.visibility) {
    values.visibility = { visibility: { type: 'radio_buttons', selected_option: { text: { type: 'plain_text', text: options.visibility }, value: options.visibility } } };
  }
  return viewPayload({ viewId: options.viewId, callbackId: 'consult_modal', privateMetadata: options.privateMetadata, values, ...(options.user ? { user: options.user } : {}) });
}

/** A click on a message button (or a select in a message), as Slack delivers block_actions. */
export function messageAction(options: {
  channel: string;
  messageTs: string;
  threadTs?: string;
  action: Record<string, unknown>;
  user?: string;
  /** An ephemeral message (e.g. the slash command's help): Slack sends no `message` for those. */
  ephemeral?: boolean;
  triggerId?: string;
}): Record<string, unknown> {
  const user = options.user ?? USER;
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'fake' },
    user: { id: user, username: 'ada', name: 'ada', team_id: TEAM },
    api_app_id: 'A0001',
    token: 'deprecated',
    trigger_id: options.triggerId ?? `${Date.now()}.42.action`,
    container: { type: 'message', channel_id: options.channel, message_ts: options.messageTs, is_ephemeral: options.ephemeral === true, ...(options.threadTs ? { thread_ts: options.threadTs } : {}) },
    channel: { id: options.channel, name: options.channel.startsWith('D') ? 'directmessage' : 'architecture' },
    ...(options.ephemeral ? {} : { message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: options.messageTs, ...(options.threadTs ? { thread_ts: options.threadTs } : {}), text: '' } }),
    response_url: 'http://127.0.0.1:9/response',
    actions: [{ block_id: 'b', action_ts: nextActionTs(), ...options.action }],
    is_enterprise_install: false,
  };
}

export interface Checkpoint {
  /** Calls of `method` recorded since the checkpoint. */
  calls(method: string): RecordedCall[];
  /** Waits until `n` calls of `method` have been recorded since the checkpoint; returns them. */
  wait(method: string, n?: number): Promise<RecordedCall[]>;
}

/** Marks "now" in the fake's call log, so a test can wait for and read only what came after. */
export function checkpoint(api: FakeSlackApi): Checkpoint {
  const index = api.calls.length;
  const calls = (method: string): RecordedCall[] => api.calls.slice(index).filter((c) => c.method === method);
  return {
    calls,
    wait: async (method, n = 1) => {
      const before = api.calls.slice(0, index).filter((c) => c.method === method).length;
      await api.waitFor(method, before + n);
      return calls(method);
    },
  };
}

// ---- Whole steps, shared by the test files ------------------------------------------------------

let triggerSeq = 0;

/** Sends `/reality-check <text>` with a fresh trigger id and returns the view opened for that trigger. */
export async function openModal(h: SlackPeer, text: string, fields: Record<string, string> = {}): Promise<ViewArg> {
  const trigger = `trigger-${process.pid}-${++triggerSeq}`;
  const mark = checkpoint(h.api);
  const res = await h.command(text, { trigger_id: trigger, ...fields });
  if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
  await mark.wait('views.open');
  const call = h.api.callsTo('views.open').find((c) => c.args.trigger_id === trigger);
  if (!call) throw new Error(`no views.open for trigger ${trigger}`);
  return call.args.view as ViewArg;
}

/** The value of the button with this action id in a message (verdict buttons carry the consultation id). */
export function buttonValue(call: RecordedCall, actionId: string): string | undefined {
  for (const b of blocksOf(call)) for (const e of b.elements ?? []) if (e.action_id === actionId) return e.value;
  return undefined;
}

/**
 * A whole modal consultation: command → modal → submission; waits for the verdict post(s) and returns
 * them with the consultation id the verdict buttons carry.
 */
export async function consultViaModal(
  h: SlackPeer,
  options: { text?: string; viewId: string; visibility: 'channel' | 'thread' | 'me'; answers?: Record<string, string> },
): Promise<{ posts: RecordedCall[]; verdict: RecordedCall; id: string }> {
  const view = await openModal(h, options.text ?? 'should we use kubernetes?');
  const mark = checkpoint(h.api);
  const res = await h.interact(viewSubmission({ viewId: options.viewId, privateMetadata: view.private_metadata!, answers: options.answers ?? KUBERNETES_ANSWERS, visibility: options.visibility }));
  if (res.status !== 200) throw new Error(`view_submission answered ${res.status}`);
  const posts = await mark.wait('chat.postMessage', options.visibility === 'thread' ? 2 : 1);
  const verdict = posts[posts.length - 1]!;
  const id = buttonValue(verdict, 'verdict_explain');
  if (!id) throw new Error('the verdict has no Explain button');
  return { posts, verdict, id };
}

/**
 * Polls `check` until it returns a value other than undefined (or fails after timeoutMs). For state the
 * app writes right after a Web API call returns, which the fake cannot signal.
 */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
