// Crash safety of the real app (child processes on one SQLite file), killed with SIGKILL:
//  1. during a burst of signed view_submission requests: after a restart every acknowledged
//     submission's consultation is stored, the file passes PRAGMA integrity_check, and every stored
//     consultation has exactly one check-in job (saved in the same transaction);
//  2. half-way through a run of due check-in jobs: after a restart no check-in is lost, each job is done
//     once in the database, and duplicate DMs are confined to the job that was in flight at the kill
//     (the scheduler is at-least-once across a crash; the test measures and reports that window).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consultationIdFromKey as idFromKey } from '../../src/service/consult-service.js';
import { FakeSlackApi, type RecordedCall } from '../fakes/slack-api.js';
import { interactionBody, signed } from '../fakes/slack-signing.js';
import { KUBERNETES_ANSWERS, viewSubmission } from '../slack/harness.js';
import { get, killHard, pool, rawRequest, startApp, until, type AppProcess, type RunningApp } from './app-process.js';

const SECRET = 'crash-signing-secret';
const TEAM = 'T0001';
const BURST = 200;
const KILL_AFTER_ACKS = 100;
const CONCURRENCY = 8;
const META = JSON.stringify({ channel: 'C0001', question: 'should we use kubernetes?', topic: 'kubernetes', dm: false });

let api: FakeSlackApi;
let dir: string;
let dbPath: string;
const apps: RunningApp[] = [];

const env = (extra: Record<string, string> = {}): Record<string, string> => ({
  SLACK_BOT_TOKEN: 'xoxb-crash',
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: api.url,
  DATABASE_PATH: dbPath,
  SCHEDULER_INTERVAL_MS: '0',
  SHUTDOWN_GRACE_MS: '2000',
  ...extra,
});

async function start(extra: Record<string, string> = {}, onSpawn?: (app: AppProcess) => void): Promise<RunningApp> {
  const app = await startApp(env(extra), {
    onSpawn: (spawned) => {
      apps.push(spawned as RunningApp);
      onSpawn?.(spawned);
    },
  });
  return app;
}

/** The test's own connection (opened only while no app is writing, or for reads). */
function withDb<T>(use: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const viewIdOf = (i: number): string => `VCRASH${String(i).padStart(4, '0')}`;
const userOf = (i: number): string => `UCRASH${String(i).padStart(4, '0')}`;
const consultationIdOf = (i: number): string => idFromKey(`slack-view:${TEAM}:${viewIdOf(i)}`);
const isCheckIn = (c: RecordedCall): boolean => c.method === 'chat.postMessage' && String(c.args.text ?? '').startsWith('Check-in:');

beforeAll(async () => {
  api = new FakeSlackApi();
  await api.start();
  dir = mkdtempSync(join(tmpdir(), 'rc-crash-'));
  dbPath = join(dir, 'crash.db');
});

afterAll(async () => {
  for (const app of apps) await killHard(app);
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Shared between the two steps.
const acked = new Set<number>();
/** Submission indexes in the order their 200 reached the client. */
const ackOrder: number[] = [];
let stored: Array<{ id: string; user_id: string }> = [];

describe('SIGKILL during a burst of consultations', () => {
  it('keeps every acknowledged consultation, a sound file and exactly one check-in job per consultation', async () => {
    const first = await start();
    await api.waitFor('auth.test');
    let killedAt = -1;
    let sent = 0;
    const failed: Array<{ i: number; status: number; error?: string }> = [];
    const tasks = Array.from({ length: BURST }, (_, i) => async () => {
      if (killedAt >= 0) return; // the server is gone; the rest of the burst is never sent
      sent++;
      const payload = viewSubmission({ viewId: viewIdOf(i), privateMetadata: META, answers: KUBERNETES_ANSWERS, visibility: 'me', user: userOf(i) });
      const req = signed(SECRET, interactionBody(payload), 'application/x-www-form-urlencoded');
      const res = await rawRequest({ port: first.port, path: '/slack/events', headers: req.headers, body: req.body, timeoutMs: 10_000 });
      if (res.status === 200) {
        // An empty 200 is Slack's "close the modal": the submission was accepted.
        expect(res.body).toBe('');
        acked.add(i);
        ackOrder.push(i);
        if (acked.size === KILL_AFTER_ACKS && killedAt < 0) {
          killedAt = i;
          first.child.kill('SIGKILL');
        }
      } else {
        failed.push({ i, status: res.status, ...(res.error ? { error: res.error } : {}) });
      }
    });
    await pool(tasks, CONCURRENCY);
    const exit = await first.waitExit(5_000);
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    // Only requests cut off by the kill failed: no HTTP error status at all, before or at the kill.
    expect(failed.filter((f) => f.status !== 0)).toEqual([]);

    // A new process on the same file.
    const second = await start();
    const ready = await get(second.port, '/readyz');
    expect(ready.status).toBe(200);

    const report = withDb((db) => {
      const integrity = db.pragma('integrity_check', { simple: true });
      const rows = db.prepare('SELECT id, user_id, check_in_at FROM consultations WHERE workspace = ?').all(TEAM) as Array<{ id: string; user_id: string; check_in_at: number }>;
      const jobs = db.prepare("SELECT job_key, due_at, done_at FROM scheduled_jobs WHERE kind = 'check-in'").all() as Array<{ job_key: string; due_at: number; done_at: number | null }>;
      const predictions = new Map((db.prepare('SELECT consultation_id AS id, COUNT(*) AS n FROM predictions GROUP BY consultation_id').all() as Array<{ id: string; n: number }>).map((r) => [r.id, r.n]));
      const estimates = new Map((db.prepare('SELECT consultation_id AS id, COUNT(*) AS n FROM estimates GROUP BY consultation_id').all() as Array<{ id: string; n: number }>).map((r) => [r.id, r.n]));
      return { integrity, rows, jobs, predictions, estimates };
    });
    stored = report.rows;
    const storedIds = new Set(report.rows.map((r) => r.id));
    const missing = [...acked].filter((i) => !storedIds.has(consultationIdOf(i)));
    const unackedButStored = [...storedIds].filter((id) => ![...acked].some((i) => consultationIdOf(i) === id));
    console.log(
      `crash burst: ${BURST} planned, ${sent} sent, ${acked.size} acknowledged (SIGKILL right after ack #${KILL_AFTER_ACKS}, submission #${killedAt}), ${failed.length} cut off by the kill, ${report.rows.length} stored after restart, ${missing.length} acknowledged but missing ${JSON.stringify(missing.map((i) => ({ submission: i, ackOrdinal: ackOrder.indexOf(i) + 1 })))}, ${unackedButStored.length} stored without their ack reaching the client`,
    );

    expect(report.integrity).toBe('ok');
    // Every acknowledged submission survived the kill: the consultation commits before the ack.
    expect(missing.map(viewIdOf)).toEqual([]);
    // Each consultation was stored whole: predictions, both estimates and exactly one check-in job
    // (due at its check-in date) — and no job points at a consultation that does not exist.
    for (const row of report.rows) {
      expect(report.predictions.get(row.id) ?? 0).toBeGreaterThan(0);
      expect(report.estimates.get(row.id)).toBe(2);
      const own = report.jobs.filter((j) => j.job_key === `check-in:${row.id}`);
      expect(own).toHaveLength(1);
      expect(own[0]!.due_at).toBe(row.check_in_at);
      expect(own[0]!.done_at).toBeNull();
    }
    expect(report.jobs).toHaveLength(report.rows.length);
    // The ids are the deterministic ones of the submissions that were sent.
    const planned = new Set(Array.from({ length: BURST }, (_, i) => consultationIdOf(i)));
    expect(report.rows.every((r) => planned.has(r.id))).toBe(true);

    second.child.kill('SIGTERM');
    expect(await second.waitExit(5_000)).toEqual({ code: 0, signal: null });
  }, 45_000);
});

describe('SIGKILL half-way through due check-in jobs', () => {
  it('loses no check-in, completes every job once in the database, and confines duplicates to the in-flight job', async () => {
    expect(stored.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS - CONCURRENCY);
    const total = stored.length;
    const userToConsultation = new Map(stored.map((r) => [r.user_id, r.id]));
    // Every check-in falls due now (as if the 90 days had passed).
    const past = Date.now() - 60_000;
    withDb((db) => db.prepare("UPDATE scheduled_jobs SET due_at = ? WHERE kind = 'check-in'").run(past));

    const from = api.calls.length;
    const checkInsSince = (index: number): RecordedCall[] => api.calls.slice(index).filter(isCheckIn);
    const killAt = Math.floor(total / 2);
    // Kill the moment Slack has received the killAt-th check-in DM: the app is then waiting for
    // Slack's answer, before the job's completion is written — the widest at-least-once window.
    // The trigger is armed before the process starts, since its first scheduler pass runs at once.
    let victim: AppProcess | undefined;
    const postsBefore = api.callsTo('chat.postMessage').length;
    const killed = api.waitFor('chat.postMessage', postsBefore + killAt, 20_000).then(() => victim!.child.kill('SIGKILL'));
    const third = await start({ SCHEDULER_INTERVAL_MS: '200' }, (spawned) => (victim = spawned)).catch((error: unknown) => {
      // It may be killed before it logged "ready": that is fine, the process is what matters.
      if (victim?.exit?.signal === 'SIGKILL' || victim?.child.signalCode === 'SIGKILL') return victim as RunningApp;
      throw error;
    });
    await killed;
    expect(await third.waitExit(5_000)).toEqual({ code: null, signal: 'SIGKILL' });

    const beforeKill = checkInsSince(from);
    const atKill = withDb((db) => ({
      integrity: db.pragma('integrity_check', { simple: true }),
      jobs: db.prepare("SELECT job_key, attempts, lease_until, done_at FROM scheduled_jobs WHERE kind = 'check-in'").all() as Array<{ job_key: string; attempts: number; lease_until: number | null; done_at: number | null }>,
    }));
    expect(atKill.integrity).toBe('ok');
    const doneAtKill = new Set(atKill.jobs.filter((j) => j.done_at !== null).map((j) => j.job_key.slice('check-in:'.length)));
    const leasedAtKill = atKill.jobs.filter((j) => j.done_at === null && j.lease_until !== null);
    const leasedIds = new Set(leasedAtKill.map((j) => j.job_key.slice('check-in:'.length)));
    const dmBeforeKill = new Set(beforeKill.map((c) => userToConsultation.get(String(c.args.channel))));
    // The window: a DM Slack received whose job had not been marked done when the process died.
    const inWindow = [...dmBeforeKill].filter((id): id is string => id !== undefined && !doneAtKill.has(id));
    expect(beforeKill.length).toBeGreaterThanOrEqual(killAt);
    expect(doneAtKill.size).toBeGreaterThan(0);
    expect(doneAtKill.size).toBeLessThan(total);
    // The scheduler runs one job at a time, so at most one DM can be sent-but-not-recorded.
    expect(inWindow.length).toBeLessThanOrEqual(1);
    for (const id of inWindow) expect(leasedIds.has(id)).toBe(true);
    const leaseLeftMs = leasedAtKill.length ? Math.max(...leasedAtKill.map((j) => j.lease_until!)) - Date.now() : 0;

    // A claimed job whose worker died is retried when its lease (120 s) runs out. Stand in for that
    // wait by expiring the leases the dead process held, then restart.
    withDb((db) => db.prepare('UPDATE scheduled_jobs SET lease_until = ? WHERE done_at IS NULL AND lease_until IS NOT NULL').run(Date.now() - 1));
    const fourth = await start({ SCHEDULER_INTERVAL_MS: '200' });
    await until(
      'every check-in job to be done',
      () => (withDb((db) => (db.prepare("SELECT COUNT(*) AS n FROM scheduled_jobs WHERE kind = 'check-in' AND done_at IS NULL").get() as { n: number }).n) === 0 ? true : undefined),
      20_000,
      50,
    );
    fourth.child.kill('SIGTERM');
    expect(await fourth.waitExit(5_000)).toEqual({ code: 0, signal: null });

    const dms = checkInsSince(from);
    const perConsultation = new Map<string, number>();
    for (const c of dms) {
      const id = userToConsultation.get(String(c.args.channel));
      expect(id).toBeDefined();
      perConsultation.set(id!, (perConsultation.get(id!) ?? 0) + 1);
    }
    const duplicated = [...perConsultation].filter(([, n]) => n > 1).map(([id]) => id);
    const final = withDb((db) => ({
      integrity: db.pragma('integrity_check', { simple: true }),
      jobs: db.prepare("SELECT job_key, attempts, done_at, last_error FROM scheduled_jobs WHERE kind = 'check-in'").all() as Array<{ job_key: string; attempts: number; done_at: number | null; last_error: string | null }>,
      reminders: db.prepare("SELECT job_key, due_at, done_at FROM scheduled_jobs WHERE kind = 'check-in-reminder'").all() as Array<{ job_key: string; due_at: number; done_at: number | null }>,
    }));
    console.log(
      `crash check-ins: ${total} due, SIGKILL when Slack had received ${beforeKill.length}; ${doneAtKill.size} jobs recorded done at the kill, ${leasedAtKill.length} claimed but not done (lease had ${Math.round(leaseLeftMs / 1000)} s left), ${inWindow.length} sent-but-unrecorded (the at-least-once window); after restart ${dms.length} check-in DMs in all, ${duplicated.length} consultation(s) DM'd twice: ${JSON.stringify(duplicated)}`,
    );

    expect(final.integrity).toBe('ok');
    // No check-in lost: every consultation got at least one DM.
    expect(stored.filter((r) => !perConsultation.has(r.id)).map((r) => r.id)).toEqual([]);
    // Duplicates only where the kill fell between Slack receiving the DM and the job being recorded.
    expect(duplicated.sort()).toEqual([...inWindow].sort());
    for (const id of duplicated) expect(perConsultation.get(id)).toBe(2);
    expect(dms.length).toBe(total + duplicated.length);
    // Each job is done exactly once in the database: done, no error, and run once — or twice for a
    // job the dead process had claimed (its first attempt is the one the kill cut short).
    expect(final.jobs).toHaveLength(total);
    for (const job of final.jobs) {
      const id = job.job_key.slice('check-in:'.length);
      expect(job.done_at).not.toBeNull();
      expect(job.last_error).toBeNull();
      expect(job.attempts).toBe(leasedIds.has(id) ? 2 : 1);
    }
    // Each check-in queued exactly one reminder, a week out, still pending.
    expect(final.reminders).toHaveLength(total);
    expect(new Set(final.reminders.map((r) => r.job_key))).toEqual(new Set(stored.map((r) => `check-in-reminder:${r.id}`)));
    for (const r of final.reminders) {
      expect(r.done_at).toBeNull();
      expect(r.due_at).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    }
  }, 45_000);
});
