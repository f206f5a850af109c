// Durable jobs on PostgreSQL: claiming leases due rows in one UPDATE whose subquery locks them with
// SKIP LOCKED, so replicas polling at once each take different jobs and nobody waits on another.
import { toJob, type RawJob } from '../rows.js';
import { MAX_ATTEMPTS, type Job, type JobRepo } from '../types.js';
import type { PgDb } from './pool.js';

export class PostgresJobs implements JobRepo {
  constructor(private readonly db: PgDb) {}

  /** Adds a job unless one with this key exists (done or not): a key runs once. */
  async enqueue(job: { workspace: string; kind: string; key: string; dueAt: number; payload?: Record<string, unknown> }, now: number): Promise<boolean> {
    const inserted = await this.db.run(
      `INSERT INTO scheduled_jobs (workspace, kind, job_key, due_at, payload_json, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (job_key) DO NOTHING`,
      [job.workspace, job.kind, job.key, job.dueAt, JSON.stringify(job.payload ?? {}), now],
    );
    return inserted === 1;
  }

  /** Leases up to `limit` due jobs; a job leased by another worker is skipped until its lease ends. */
  async claimDue(now: number, leaseMs: number, limit: number): Promise<Job[]> {
    // The subquery re-checks each row it locks against the latest committed version, so a job another
    // replica leased a moment ago is passed over, and a row locked right now is skipped, not waited for.
    const rows = await this.db.rows<RawJob>(
      `UPDATE scheduled_jobs SET lease_until = $2, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM scheduled_jobs
         WHERE done_at IS NULL AND due_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
         ORDER BY due_at, id LIMIT $3
         FOR UPDATE SKIP LOCKED)
       RETURNING id, workspace, kind, job_key, due_at, payload_json, attempts`,
      [now, now + leaseMs, limit],
    );
    // RETURNING has no order of its own: give them back due-first, as SQLite does.
    return rows.sort((a, b) => a.due_at - b.due_at || a.id - b.id).map(toJob);
  }

  async complete(id: number, now: number): Promise<void> {
    await this.db.run('UPDATE scheduled_jobs SET done_at = $1, lease_until = NULL, last_error = NULL WHERE id = $2', [now, id]);
  }

  /** Retries with backoff; after MAX_ATTEMPTS the job is closed with its last error kept. */
  async fail(job: Job, error: string, now: number): Promise<void> {
    if (job.attempts >= MAX_ATTEMPTS) {
      await this.db.run('UPDATE scheduled_jobs SET done_at = $1, lease_until = NULL, last_error = $2 WHERE id = $3', [now, error.slice(0, 500), job.id]);
      return;
    }
    const retryAt = now + Math.min(3_600_000, 60_000 * 2 ** (job.attempts - 1));
    await this.db.run('UPDATE scheduled_jobs SET due_at = $1, lease_until = NULL, last_error = $2 WHERE id = $3', [retryAt, error.slice(0, 500), job.id]);
  }

  /** Drops a workspace's pending jobs of one kind (or of every kind), unless leased right now. */
  async cancelPending(workspace: string, kind?: string): Promise<number> {
    return kind === undefined
      ? this.db.run('DELETE FROM scheduled_jobs WHERE workspace = $1 AND done_at IS NULL AND lease_until IS NULL', [workspace])
      : this.db.run('DELETE FROM scheduled_jobs WHERE workspace = $1 AND kind = $2 AND done_at IS NULL AND lease_until IS NULL', [workspace, kind]);
  }

  async get(key: string): Promise<(Job & { doneAt: number | null; lastError: string | null }) | undefined> {
    const r = await this.db.one<RawJob & { done_at: number | null; last_error: string | null }>('SELECT * FROM scheduled_jobs WHERE job_key = $1', [key]);
    return r && { ...toJob(r), doneAt: r.done_at, lastError: r.last_error };
  }

  /** How late the oldest due job is (ms), 0 when nothing is waiting: the scheduler-lag metric. */
  async lag(now: number): Promise<number> {
    const r = await this.db.one<{ due: number | null }>('SELECT MIN(due_at) AS due FROM scheduled_jobs WHERE done_at IS NULL AND due_at <= $1', [now]);
    return r?.due == null ? 0 : now - r.due;
  }

  async pending(): Promise<number> {
    return (await this.db.one<{ n: number }>('SELECT COUNT(*) AS n FROM scheduled_jobs WHERE done_at IS NULL'))?.n ?? 0;
  }
}
