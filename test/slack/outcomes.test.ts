// Outcome tracking through the real app (Bolt HTTP receiver, real SQLite file) against the fake Slack
// Web API, with an injected clock and no background scheduler (SCHEDULER_INTERVAL_MS=0): every
// scheduler pass is an explicit runDueJobs(). A consultation → its check-in DM 90 days later →
// outcome buttons (asker, stranger, admin) → `/reality-check resolve` → the weekly digest, which goes
// out exactly once per ISO week, across a restart on the same database file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startServer, type Running } from '../../src/server/start.js';
import { consultationIdFromKey as idFromKey } from '../../src/service/consult-service.js';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.js';
import { interactionBody, signed, slashCommandBody } from '../fakes/slack-signing.js';
import { KUBERNETES_ANSWERS as ANSWERS } from '../helpers/answers.js';
import { readDatabase } from '../helpers/db.js';
import { SECRET, slackAppEnv, viewSubmission } from './harness.js';

const FORM = 'application/x-www-form-urlencoded';
const TEAM = 'T0001';
const ASKER = 'U0001';
const STRANGER = 'U0002';
const ADMIN = 'U0003';
const DIGEST_CHANNEL = 'C0DIGEST';
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Wednesday 2025-09-03 10:00 UTC. */
const T0 = Date.UTC(2025, 8, 3, 10, 0);
const CHECK_IN_AT = T0 + 90 * DAY; // Tuesday 2025-12-02 10:00 UTC
/** The first Monday 09:00 Berlin (CET, UTC+1) after the digest is set: 2025-12-08 08:00 UTC, ISO week 2025-W50. */
const FIRST_DIGEST = Date.UTC(2025, 11, 8, 8, 0);


interface Block {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  elements?: Array<{ type: string; action_id?: string; value?: string; style?: string; text?: { text: string } }>;
}

const clock = { t: T0, now: (): number => clock.t };
let api: FakeSlackApi;
let app: Running;
let dir: string;
let dbPath: string;
let env: Record<string, string>;
let responseUrl: string;

async function boot(): Promise<Running> {
  const authBefore = api.callsTo('auth.test').length;
  const running = await startServer(loadConfig(env), { clock, logger: createLogger('silent') });
  // Bolt verifies its token as it starts; wait for it so later call counts are stable.
  await api.waitFor('auth.test', authBefore + 1);
  return running;
}

function post(body: string): Promise<Response> {
  const req = signed(SECRET, body, FORM);
  return fetch(`http://127.0.0.1:${app.port}/slack/events`, { method: 'POST', headers: req.headers, body: req.body });
}

let triggerSeq = 0;
function command(text: string, userId: string): Promise<Response> {
  return post(slashCommandBody({ text, user_id: userId, trigger_id: `trigger-${++triggerSeq}`, response_url: responseUrl }));
}

function interact(payload: unknown): Promise<Response> {
  return post(interactionBody(payload));
}

/** Waits until `n` more calls of `method` (optionally matching) have been recorded after `mark`. */
async function waitAfter(mark: number, method: string, match: (c: RecordedCall) => boolean = () => true, n = 1): Promise<RecordedCall[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = api.calls.slice(mark).filter((c) => c.method === method && match(c));
    if (found.length >= n) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} × ${method}; saw ${api.calls.slice(mark).map((c) => c.method).join(', ')}`);
    await api.waitFor(method, api.callsTo(method).length + 1, 10_000).catch(() => undefined);
  }
}

/**
 * Before a negative check ("nothing changed"), makes sure the refused handler has finished: after its
 * users.info check, one more full request through Bolt and its answer.
 */
async function settle(mark: number, userId: string): Promise<void> {
  await waitAfter(mark, 'users.info', (c) => c.args.user === userId);
  const barrier = api.calls.length;
  await command('list', userId);
  await waitAfter(barrier, 'response');
}

const after = (mark: number, method: string, match: (c: RecordedCall) => boolean = () => true): RecordedCall[] =>
  api.calls.slice(mark).filter((c) => c.method === method && match(c));
const to = (channel: string) => (c: RecordedCall): boolean => c.args.channel === channel;
const blocksOf = (c: RecordedCall): Block[] => (Array.isArray(c.args.blocks) ? (c.args.blocks as Block[]) : []);
const actionIds = (c: RecordedCall): string[] => blocksOf(c).flatMap((b) => (b.elements ?? []).map((e) => e.action_id ?? '')).filter(Boolean);
const allText = (c: RecordedCall): string => [String(c.args.text ?? ''), ...blocksOf(c).map((b) => b.text?.text ?? '')].join('\n');

function query<T>(read: (db: Database.Database) => T): T {
  return readDatabase(dbPath, read);
}

function outcomeOf(consultationId: string, failureMode: string): { happened: number | null; recorded_by: string } | undefined {
  return query((db) =>
    db
      .prepare(
        `SELECT o.happened, o.recorded_by FROM outcomes o JOIN predictions p ON p.id = o.prediction_id
         WHERE p.consultation_id = ? AND p.failure_mode = ?`,
      )
      .get(consultationId, failureMode) as { happened: number | null; recorded_by: string } | undefined,
  );
}

function digestSettings(): unknown {
  return query((db) => db.prepare('SELECT digest_channel, digest_weekday, digest_hour, digest_minute, digest_tz FROM workspace_settings WHERE workspace = ?').get(TEAM));
}

/** A click on a check-in button in the DM the bot sent, as Slack delivers block_actions. */
function checkInClick(message: RecordedCall, failureMode: string, answer: 'happened' | 'not-happened' | 'too-early', userId: string): Record<string, unknown> {
  const block = blocksOf(message).find((b) => b.block_id === `fm:${failureMode}`);
  const button = block?.elements?.find((e) => e.action_id === `checkin_outcome:${answer}`);
  if (!button) throw new Error(`no ${answer} button for ${failureMode}`);
  const channel = String((message.response as { channel: string }).channel);
  const ts = String((message.response as { ts: string }).ts);
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'fake' },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: TEAM },
    api_app_id: 'A0001',
    token: 'deprecated',
    trigger_id: `${Date.now()}.42.action`,
    container: { type: 'message', channel_id: channel, message_ts: ts, is_ephemeral: false },
    channel: { id: channel, name: 'directmessage' },
    message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts, text: '' },
    response_url: responseUrl,
    actions: [{ type: 'button', block_id: block!.block_id, action_id: button.action_id, value: button.value, text: { type: 'plain_text', text: answer }, action_ts: `${Math.floor(Date.now() / 1000)}.${++triggerSeq}` }],
    is_enterprise_install: false,
  };
}

beforeAll(async () => {
  api = new FakeSlackApi();
  const url = await api.start();
  responseUrl = `${url}response`; // respond() lands at the fake too, recorded as method "response"
  dir = mkdtempSync(join(tmpdir(), 'rc-outcomes-'));
  dbPath = join(dir, 'db.sqlite');
  env = { ...slackAppEnv(url, dbPath), SCHEDULER_INTERVAL_MS: '0' };
  app = await boot();
});

afterAll(async () => {
  await app?.stop();
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('outcome tracking in Slack', () => {
  let id: string;
  let checkIn: RecordedCall;
  let modes: string[];

  it('saves a consultation submitted through the modal, with its check-in 90 days out', async () => {
    let mark = api.calls.length;
    expect((await command('should we use kubernetes?', ASKER)).status).toBe(200);
    const [open] = await waitAfter(mark, 'views.open');
    const view = open!.args.view as { private_metadata: string };

    mark = api.calls.length;
    const res = await interact(viewSubmission({ viewId: 'V0OUTCOME', privateMetadata: view.private_metadata, answers: ANSWERS, visibility: 'channel', user: ASKER }));
    expect(res.status).toBe(200);
    const [verdict] = await waitAfter(mark, 'chat.postMessage');
    expect(verdict!.args.channel).toBe('C0001');

    id = idFromKey(`slack-view:${TEAM}:V0OUTCOME`, (JSON.parse(view.private_metadata) as { at: number }).at);
    const row = query((db) => db.prepare('SELECT user_id, created_at, check_in_at FROM consultations WHERE id = ?').get(id)) as { user_id: string; created_at: number; check_in_at: number };
    expect(row).toEqual({ user_id: ASKER, created_at: T0, check_in_at: CHECK_IN_AT });
    const jobs = query((db) => db.prepare("SELECT job_key, due_at FROM scheduled_jobs WHERE kind = 'check-in'").all());
    expect(jobs).toEqual([{ job_key: `check-in:${id}`, due_at: CHECK_IN_AT }]);
  });

  it('sends the check-in DM to the asker when 90 days have passed, and not before', async () => {
    const mark = api.calls.length;
    clock.t = CHECK_IN_AT - MINUTE;
    expect(await app.runDueJobs()).toBe(0);
    expect(after(mark, 'chat.postMessage')).toHaveLength(0);

    clock.t = CHECK_IN_AT;
    expect(await app.runDueJobs()).toBe(1);
    const posts = after(mark, 'chat.postMessage');
    expect(posts).toHaveLength(1);
    checkIn = posts[0]!;
    expect(checkIn.args.channel).toBe(ASKER);
    expect(String(checkIn.args.text)).toContain('Check-in');
    const ids = actionIds(checkIn);
    const outcomeButtons = ids.filter((a) => a.startsWith('checkin_outcome:'));
    expect(outcomeButtons.length).toBeGreaterThan(0);
    expect(new Set(outcomeButtons)).toEqual(new Set(['checkin_outcome:happened', 'checkin_outcome:not-happened', 'checkin_outcome:too-early']));
    expect(ids).toContain('checkin_not_adopted');
    modes = blocksOf(checkIn).filter((b) => b.block_id?.startsWith('fm:')).map((b) => b.block_id!.slice(3));
    expect(modes.length).toBeGreaterThanOrEqual(2);

    // Nothing more is due right now.
    expect(await app.runDueJobs()).toBe(0);
    expect(after(mark, 'chat.postMessage')).toHaveLength(1);
  });

  it('records the asker\'s "happened" click and updates the message', async () => {
    const mark = api.calls.length;
    const res = await interact(checkInClick(checkIn, modes[0]!, 'happened', ASKER));
    expect(res.status).toBe(200);
    const [update] = await waitAfter(mark, 'chat.update');
    expect(outcomeOf(id, modes[0]!)).toEqual({ happened: 1, recorded_by: ASKER });
    expect(update!.args.channel).toBe((checkIn.response as { channel: string }).channel);
    expect(update!.args.ts).toBe((checkIn.response as { ts: string }).ts);
    const answered = blocksOf(update!).find((b) => b.block_id === `fm:${modes[0]}`)!;
    expect(answered.elements!.find((e) => e.action_id === 'checkin_outcome:happened')!.style).toBe('primary');
    expect(allText(update!)).toContain(':white_check_mark: happened');
    // Other failure modes are still open.
    expect(outcomeOf(id, modes[1]!)).toBeUndefined();
  });

  // Refusals: the listeners throw ForbiddenError; src/slack/app.ts's error handler (with Bolt's
  // extendedErrorHandler, so it sees the body) tells the person who tried, in a DM.
  it('refuses the same click from someone who is neither the asker nor an admin', async () => {
    const mark = api.calls.length;
    const res = await interact(checkInClick(checkIn, modes[0]!, 'not-happened', STRANGER));
    expect(res.status).toBe(200);
    const [refusal] = await waitAfter(mark, 'chat.postMessage', to(STRANGER));
    expect(String(refusal!.args.text)).toContain('Only the person who asked (or a workspace admin) can record outcomes');
    await settle(mark, STRANGER);
    expect(outcomeOf(id, modes[0]!)).toEqual({ happened: 1, recorded_by: ASKER });
    expect(after(mark, 'chat.update')).toHaveLength(0);
  });

  it('lets a workspace admin record an outcome', async () => {
    api.admins.add(ADMIN);
    const mark = api.calls.length;
    await interact(checkInClick(checkIn, modes[1]!, 'not-happened', ADMIN));
    await waitAfter(mark, 'chat.update');
    expect(outcomeOf(id, modes[1]!)).toEqual({ happened: 0, recorded_by: ADMIN });
    expect(outcomeOf(id, modes[0]!)).toEqual({ happened: 1, recorded_by: ASKER });
    expect(after(mark, 'chat.postMessage', to(ADMIN))).toHaveLength(0);
  });

  it('`/reality-check resolve <id>` sends the asker the check-in as a DM, showing the answers so far', async () => {
    const mark = api.calls.length;
    expect((await command(`resolve ${id}`, ASKER)).status).toBe(200);
    const [dm] = await waitAfter(mark, 'chat.postMessage', to(ASKER));
    expect(String(dm!.args.text)).toContain(id);
    expect(actionIds(dm!).some((a) => a.startsWith('checkin_outcome:'))).toBe(true);
    const first = blocksOf(dm!).find((b) => b.block_id === `fm:${modes[0]}`)!;
    expect(first.elements!.find((e) => e.action_id === 'checkin_outcome:happened')!.style).toBe('primary');
    const [response] = await waitAfter(mark, 'response');
    expect(String(response!.args.text)).toContain(`I have sent you the check-in for \`${id}\``);
  });

  it('`/reality-check resolve <id>` by someone else is refused', async () => {
    const mark = api.calls.length;
    await command(`resolve ${id}`, STRANGER);
    const [refusal] = await waitAfter(mark, 'chat.postMessage', to(STRANGER));
    expect(String(refusal!.args.text)).toContain('Only the person who asked (or a workspace admin)');
    await settle(mark, STRANGER);
    expect(after(mark, 'chat.postMessage', (c) => actionIds(c).some((a) => a.startsWith('checkin_outcome:')))).toHaveLength(0);
  });

  it('refuses a non-admin setting the digest and stores nothing', async () => {
    const mark = api.calls.length;
    await command(`digest <#${DIGEST_CHANNEL}|arch> monday 09:00 Europe/Berlin`, STRANGER);
    const [refusal] = await waitAfter(mark, 'chat.postMessage', to(STRANGER));
    expect(String(refusal!.args.text)).toContain('Only a workspace admin can change the weekly digest');
    await settle(mark, STRANGER);
    // No "Done" answer went to the stranger (only the barrier's `list` answer).
    expect(after(mark, 'response').map((c) => String(c.args.text)).filter((t) => t.startsWith('Done'))).toEqual([]);
    expect(digestSettings()).toBeUndefined();
    expect(query((db) => db.prepare("SELECT COUNT(*) AS n FROM scheduled_jobs WHERE kind = 'digest'").get())).toEqual({ n: 0 });
  });

  it('an admin sets the digest channel and schedule; the next Monday 09:00 Berlin is queued', async () => {
    const mark = api.calls.length;
    await command(`digest <#${DIGEST_CHANNEL}|arch> monday 09:00 Europe/Berlin`, ADMIN);
    const [response] = await waitAfter(mark, 'response');
    expect(String(response!.args.text)).toContain(`<#${DIGEST_CHANNEL}>`);
    expect(digestSettings()).toEqual({ digest_channel: DIGEST_CHANNEL, digest_weekday: 1, digest_hour: 9, digest_minute: 0, digest_tz: 'Europe/Berlin' });
    expect(query((db) => db.prepare("SELECT job_key, due_at FROM scheduled_jobs WHERE kind = 'digest' AND done_at IS NULL").all())).toEqual([
      { job_key: `digest:${TEAM}:2025-W50`, due_at: FIRST_DIGEST },
    ]);
  });

  it('a non-admin cannot change it afterwards either', async () => {
    const mark = api.calls.length;
    await command('digest <#C0ELSE|random> friday 17:00 UTC', STRANGER);
    const [refusal] = await waitAfter(mark, 'chat.postMessage', to(STRANGER));
    expect(String(refusal!.args.text)).toContain('Only a workspace admin can change the weekly digest');
    await settle(mark, STRANGER);
    expect(digestSettings()).toEqual({ digest_channel: DIGEST_CHANNEL, digest_weekday: 1, digest_hour: 9, digest_minute: 0, digest_tz: 'Europe/Berlin' });
  });

  let firstDigest: RecordedCall;

  it('posts the digest once, with its calibration chart, when Monday 09:00 Berlin has passed', async () => {
    const mark = api.calls.length;
    clock.t = FIRST_DIGEST - MINUTE;
    await app.runDueJobs();
    expect(after(mark, 'chat.postMessage', to(DIGEST_CHANNEL))).toHaveLength(0);

    clock.t = FIRST_DIGEST + 5 * MINUTE;
    await app.runDueJobs();
    const digests = after(mark, 'chat.postMessage', to(DIGEST_CHANNEL));
    expect(digests).toHaveLength(1);
    firstDigest = digests[0]!;
    const text = String(firstDigest.args.text);
    expect(text).toContain('reality-check weekly accuracy digest — 2025-W50');
    expect(text).toContain('resolved in all: 2');
    expect(text).not.toContain('No resolved predictions yet');
    expect(blocksOf(firstDigest)[0]!.type).toBe('header');

    // Something is resolved, so the chart follows in the thread: the three-step external upload.
    const urls = after(mark, 'files.getUploadURLExternal');
    expect(urls).toHaveLength(1);
    expect(String(urls[0]!.args.filename)).toBe('calibration-2025-W50.png');
    expect(Number(urls[0]!.args.length)).toBeGreaterThan(1_000);
    const fileId = (urls[0]!.response as { file_id: string }).file_id;
    const upload = api.uploads.find((u) => u.fileId === fileId);
    expect(upload).toBeDefined();
    expect(upload!.bytes).toBeGreaterThanOrEqual(Number(urls[0]!.args.length));
    expect(upload!.body).toContain('IHDR');
    const complete = after(mark, 'files.completeUploadExternal');
    expect(complete).toHaveLength(1);
    expect(complete[0]!.args.channel_id).toBe(DIGEST_CHANNEL);
    expect(complete[0]!.args.thread_ts).toBe((firstDigest.response as { ts: string }).ts);
    expect(JSON.stringify(complete[0]!.args.files)).toContain(fileId);
  });

  it('does not post it again on the next pass', async () => {
    const mark = api.calls.length;
    expect(await app.runDueJobs()).toBe(0);
    clock.t += DAY - 10 * MINUTE; // later in the same week, before the reminder (Tuesday 10:00 UTC)
    expect(await app.runDueJobs()).toBe(0);
    expect(after(mark, 'chat.postMessage')).toHaveLength(0);
    expect(after(mark, 'files.getUploadURLExternal')).toHaveLength(0);
  });

  it('does not post it again after a restart on the same database file', async () => {
    await app.stop();
    app = await boot();
    const mark = api.calls.length;
    await app.runDueJobs();
    expect(after(mark, 'chat.postMessage', to(DIGEST_CHANNEL))).toHaveLength(0);
    expect(query((db) => db.prepare("SELECT COUNT(*) AS n FROM scheduled_jobs WHERE job_key = ?").get(`digest:${TEAM}:2025-W50`))).toEqual({ n: 1 });
  });

  it('posts exactly one more digest a week later (and the one check-in reminder, which fell due meanwhile)', async () => {
    const mark = api.calls.length;
    clock.t = FIRST_DIGEST + 7 * DAY + 5 * MINUTE;
    await app.runDueJobs();
    const digests = after(mark, 'chat.postMessage', to(DIGEST_CHANNEL));
    expect(digests).toHaveLength(1);
    expect(String(digests[0]!.args.text)).toContain('reality-check weekly accuracy digest — 2025-W51');
    expect(String(digests[0]!.args.text)).toContain('resolved in all: 2');
    expect(after(mark, 'files.completeUploadExternal')).toHaveLength(1);

    // The reminder was due a week after the check-in; most predictions are still open, so it went out.
    const reminders = after(mark, 'chat.postMessage', to(ASKER));
    expect(reminders).toHaveLength(1);
    expect(allText(reminders[0]!)).toContain('A reminder');

    // And then nothing more, this week or for the reminder.
    const mark2 = api.calls.length;
    expect(await app.runDueJobs()).toBe(0);
    clock.t += 3 * DAY;
    await app.runDueJobs();
    expect(after(mark2, 'chat.postMessage')).toHaveLength(0);
  });
});
