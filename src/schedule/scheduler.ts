// The durable job loop: claim due rows with a lease, run each kind's handler, record done or retry.
// It holds no state of its own: a restart picks up whatever is due, including work missed while down.
import type { Logger } from '../log.js';
import type { Clock } from '../service/consult-service.js';
import type { Job, JobRepo } from '../store/types.js';

export type JobHandler = (job: Job) => Promise<void>;

export interface SchedulerOptions {
  jobs: JobRepo;
  clock: Clock;
  logger: Logger;
  handlers: Record<string, JobHandler>;
  /** How long a claimed job is ours; a worker that dies lets it expire and the job is retried. */
  leaseMs?: number;
  /** Jobs claimed per transaction; 1 keeps a crash from stranding claimed-but-unstarted jobs. */
  batch?: number;
  /** Runs at the start of every pass (e.g. to queue recurring work). */
  beforePass?: () => Promise<void> | void;
}

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly options: SchedulerOptions) {}

  /** Runs every due job once; returns how many ran. Concurrent calls share one pass. */
  tick(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const { jobs, clock, logger, handlers } = this.options;
    let ran = 0;
    await this.options.beforePass?.();
    for (;;) {
      const claimed = await jobs.claimDue(clock.now(), this.options.leaseMs ?? 120_000, this.options.batch ?? 1);
      if (claimed.length === 0) return ran;
      for (const job of claimed) {
        const handler = handlers[job.kind];
        try {
          if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
          await handler(job);
          await jobs.complete(job.id, clock.now());
          logger.info({ job: job.key, kind: job.kind, attempts: job.attempts }, 'job done');
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          await jobs.fail(job, message, clock.now());
          logger.warn({ job: job.key, kind: job.kind, attempts: job.attempts, err: message }, 'job failed; will retry');
        }
        ran++;
      }
    }
  }

  /** Polls every intervalMs; the first pass runs at once so work missed while down runs at start. */
  start(intervalMs = 30_000): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
