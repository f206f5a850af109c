// Durable jobs: due work is a row with a unique key. Claiming takes a lease in a transaction, so two
// loops (or a restart) never run the same job at once; an expired lease means the worker died.
import { toJob, type RawJob } from '../rows.js';
import { MAX_ATTEMPTS, type Job, type JobRepo } from '../types.js';
import { prep, type Db } from './database.js';

export class SqliteJobs implements JobRepo {
  constructor(private readonly db: Db) {}

  /** Adds a job unless one with this key exists (done or not): a key runs once. */
  async enqueue(job: { workspace: string; kind: string; key: string; dueAt: number; payload?: Record<string, unknown> }, now: number): Promise<boolean> {
    return (
      prep(this.db, 
          `INSERT INTO scheduled_jobs (workspace, kind, job_key, due_at, payload_json, created_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_key) DO NOTHING`,
        )
        .run(job.workspace, job.kind, job.key, job.dueAt, JSON.stringify(job.payload ?? {}), now).changes === 1
    );
  }

  async claimDue(now: number, leaseMs: number, limit: number): Promise<Job[]> {
    return this.db.transaction(() => {
      const rows = prep(this.db, 
          `SELECT id, workspace, kind, job_key, due_at, payload_json, attempts FROM scheduled_jobs
           WHERE done_at IS NULL AND due_at <= ? AND (lease_until IS NULL OR lease_until < ?)
           ORDER BY due_at, id LIMIT ?`,
        )
        .all(now, now, limit) as RawJob[];
      const lease = prep(this.db, 'UPDATE scheduled_jobs SET lease_until = ?, attempts = attempts + 1 WHERE id = ?');
      for (const r of rows) lease.run(now + leaseMs, r.id);
      return rows.map((r) => ({ ...toJob(r), attempts: r.attempts + 1 }));
    }).immediate();
  }

  async complete(id: number, now: number): Promise<void> {
    prep(this.db, 'UPDATE scheduled_jobs SET done_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?').run(now, id);
  }

  /** Retries with backoff; after MAX_ATTEMPTS the job is closed with its last error kept. */
  async fail(job: Job, error: string, now: number): Promise<void> {
    if (job.attempts >= MAX_ATTEMPTS) {
      prep(this.db, 'UPDATE scheduled_jobs SET done_at = ?, lease_until = NULL, last_error = ? WHERE id = ?').run(now, error.slice(0, 500), job.id);
      return;
    }
    const retryAt = now + Math.min(3_600_000, 60_000 * 2 ** (job.attempts - 1));
    prep(this.db, 'UPDATE scheduled_jobs SET due_at = ?, lease_until = NULL, last_error = ? WHERE id = ?').run(retryAt, error.slice(0, 500), job.id);
  }

  /** Drops a workspace's pending jobs of one kind (e.g. digests after the schedule changed). */
  async cancelPending(workspace: string, kind?: string): Promise<number> {
    return kind === undefined
      ? prep(this.db, 'DELETE FROM scheduled_jobs WHERE workspace = ? AND done_at IS NULL AND lease_until IS NULL').run(workspace).changes
      : prep(this.db, 'DELETE FROM scheduled_jobs WHERE workspace = ? AND kind = ? AND done_at IS NULL AND lease_until IS NULL').run(workspace, kind).changes;
  }

  async get(key: string): Promise<(Job & { doneAt: number | null; lastError: string | null }) | undefined> {
    const r = prep(this.db, 'SELECT *, done_at, last_error FROM scheduled_jobs WHERE job_key = ?').get(key) as (RawJob & { done_at: number | null; last_error: string | null }) | undefined;
    return r && { ...toJob(r), doneAt: r.done_at, lastError: r.last_error };
  }

  /** How late the oldest due job is (ms), 0 when nothing is waiting: the scheduler-lag metric. */
  async lag(now: number): Promise<number> {
    const r = prep(this.db, 'SELECT MIN(due_at) AS due FROM scheduled_jobs WHERE done_at IS NULL AND due_at <= ?').get(now) as { due: number | null };
    return r.due === null ? 0 : now - r.due;
  }

  async pending(): Promise<number> {
    return (prep(this.db, 'SELECT COUNT(*) AS n FROM scheduled_jobs WHERE done_at IS NULL').get() as { n: number }).n;
  }
}
