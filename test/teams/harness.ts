// Starts the real service with TEAMS_LOCAL=1 (real CloudAdapter, real SQLite file in a temp dir, an
// injected clock) and posts Bot Framework activities whose serviceUrl is the fake connector.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startServer, type Running } from '../../src/server/start.js';
import type { AdaptiveCard, CardElement, SubmitAction } from '../../src/teams/cards/types.js';
import { FakeTeamsConnector, type ConnectorCall } from '../fakes/teams-connector.js';
import { KUBERNETES_ANSWERS } from '../helpers/answers.js';
import { readDatabase } from '../helpers/db.js';

export const TENANT = 'tenant-0001';
export const BOT = { id: '28:bot-app-id', name: 'reality-check' };
export const ADA = { id: '29:ada-teams-id', name: 'Ada Lovelace', aadObjectId: 'aad-ada' };
export const BOB = { id: '29:bob-teams-id', name: 'Bob Babbage', aadObjectId: 'aad-bob' };
export const PERSONAL_CONVERSATION = 'a:1personal-ada';
export const CHANNEL = '19:architecture@thread.tacv2';
export const TEAM = '19:team-general@thread.tacv2';
/** Monday 2025-03-03 10:00 UTC. */
export const START = Date.parse('2025-03-03T10:00:00Z');
export const DAY = 86_400_000;

export { KUBERNETES_ANSWERS };

export type Activity = Record<string, unknown>;
type User = typeof ADA;

export interface TeamsHarness {
  connector: FakeTeamsConnector;
  app: Running;
  base: string;
  clock: { now(): number; set(ms: number): void; advance(ms: number): void };
  dbPath: string;
  /** POSTs one activity to /api/messages (unsigned: TEAMS_LOCAL). */
  send(activity: Activity, headers?: Record<string, string>): Promise<Response>;
  query<T>(read: (db: Database.Database) => T): T;
  stop(): Promise<void>;
}

export async function startTeamsApp(env: Record<string, string> = { TEAMS_LOCAL: '1' }): Promise<TeamsHarness> {
  const connector = new FakeTeamsConnector();
  await connector.start();
  const dir = mkdtempSync(join(tmpdir(), 'rc-teams-'));
  const dbPath = join(dir, 'db.sqlite');
  let now = START;
  const clock = { now: () => now, set: (ms: number) => void (now = ms), advance: (ms: number) => void (now += ms) };
  const config = loadConfig({ PORT: '0', DATABASE_PATH: dbPath, LOG_LEVEL: 'silent', SCHEDULER_INTERVAL_MS: '0', SHUTDOWN_GRACE_MS: '1000', ...env });
  const app = await startServer(config, { clock, logger: createLogger('silent') });
  const base = `http://127.0.0.1:${app.port}`;
  return {
    connector,
    app,
    base,
    clock,
    dbPath,
    send: (activity, headers = {}) =>
      fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) }),
    query: (read) => readDatabase(dbPath, read),
    stop: async () => {
      await app.stop();
      await connector.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- Activities as Teams sends them ---------------------------------------------------------------

let seq = 0;
const nextId = (): string => `1740000000${String(++seq).padStart(3, '0')}`;

function base(h: TeamsHarness, from: User, conversation: Record<string, unknown>, channelData: Record<string, unknown>): Activity {
  return {
    id: nextId(),
    timestamp: new Date(h.clock.now()).toISOString(),
    serviceUrl: h.connector.url,
    channelId: 'msteams',
    from,
    recipient: BOT,
    conversation: { tenantId: TENANT, ...conversation },
    channelData: { tenant: { id: TENANT }, ...channelData },
    locale: 'en-US',
  };
}

const personalConversation = { conversationType: 'personal', id: PERSONAL_CONVERSATION };
const channelConversation = (threadId: string) => ({ conversationType: 'channel', isGroup: true, id: `${CHANNEL};messageid=${threadId}` });
const channelData = { teamsChannelId: CHANNEL, teamsTeamId: TEAM, channel: { id: CHANNEL }, team: { id: TEAM } };

export function personalMessage(h: TeamsHarness, text: string, from: User = ADA): Activity {
  return { ...base(h, from, personalConversation, {}), type: 'message', text, textFormat: 'plain' };
}

export function channelMention(h: TeamsHarness, text: string, from: User = ADA, threadId = '1740000000000'): Activity {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base(h, from, channelConversation(threadId), channelData),
    type: 'message',
    text: `${mention} ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', mentioned: BOT, text: mention }],
  };
}

/** What Teams sends when an Action.Submit is pressed: the action's data merged with the inputs. */
export function cardSubmit(h: TeamsHarness, options: { replyToId: string; data: Record<string, unknown>; inputs?: Record<string, unknown>; from?: User; inChannel?: boolean }): Activity {
  const from = options.from ?? ADA;
  const activity = options.inChannel ? base(h, from, channelConversation('1740000000000'), channelData) : base(h, from, personalConversation, {});
  return { ...activity, type: 'message', replyToId: options.replyToId, value: { ...options.data, ...(options.inputs ?? {}) } };
}

export function installActivity(h: TeamsHarness, from: User = ADA): Activity {
  return { ...base(h, from, personalConversation, {}), type: 'conversationUpdate', membersAdded: [BOT, { id: from.id, aadObjectId: from.aadObjectId }] };
}

// ---- Reading what the connector received ---------------------------------------------------------

export function cardsOf(call: ConnectorCall): AdaptiveCard[] {
  const activity = (call.kind === 'create' ? call.body.activity : call.body) as { attachments?: Array<{ contentType: string; content: AdaptiveCard }> };
  return (activity.attachments ?? []).filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a) => a.content);
}

export function onlyCard(call: ConnectorCall): AdaptiveCard {
  const cards = cardsOf(call);
  if (cards.length !== 1) throw new Error(`expected one card in ${call.kind} ${call.path}, found ${cards.length}`);
  return cards[0]!;
}

/** Every element of a card, depth first (containers and action sets opened). */
export function elements(card: AdaptiveCard): CardElement[] {
  const out: CardElement[] = [];
  const walk = (items: CardElement[]): void => {
    for (const e of items) {
      out.push(e);
      if (e.type === 'Container') walk(e.items);
    }
  };
  walk(card.body);
  return out;
}

export function textsOf(card: AdaptiveCard): string[] {
  return elements(card).flatMap((e) => (e.type === 'TextBlock' ? [e.text] : e.type === 'FactSet' ? e.facts.map((f) => `${f.title}: ${f.value}`) : []));
}

export function actionsOf(card: AdaptiveCard): SubmitAction[] {
  return [...(card.actions ?? []), ...elements(card).flatMap((e) => (e.type === 'ActionSet' ? e.actions : []))];
}

export function action(card: AdaptiveCard, title: string): SubmitAction {
  const found = actionsOf(card).find((a) => a.title === title);
  if (!found) throw new Error(`no action "${title}" on the card; found ${actionsOf(card).map((a) => a.title).join(', ')}`);
  return found;
}

export function textOf(call: ConnectorCall): string {
  return String(call.body.text ?? '');
}

/** Posts an activity and returns what the connector received because of it (the turn ends with the response). */
export async function exchange(h: TeamsHarness, activity: Activity): Promise<{ status: number; calls: ConnectorCall[] }> {
  const mark = h.connector.calls.length;
  const res = await h.send(activity);
  await res.arrayBuffer();
  return { status: res.status, calls: h.connector.since(mark) };
}
