// WAL checkpoints off the request path. By default SQLite checkpoints inside whichever commit takes the
// write-ahead log past 1,000 pages: that commit copies the pages back into the database file and waits
// for the disk, which bench:scale measured at 5–25 ms, on the event loop, in the middle of someone's
// request. The larger the file, the more distinct pages each write dirties, so the more often it happens.
// Here a worker thread with its own connection runs PASSIVE checkpoints every interval (they never block
// the app's readers or writers) until the log is copied to its end, so the next commit restarts it. The
// app's own connection checkpoints only as a backstop, at ten times SQLite's threshold, for a log the
// thread could not drain. Should the worker stop for any reason, the app's connection checkpoints at
// SQLite's default again.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.js';

/** SQLite's default: a commit that takes the log past this many pages checkpoints it. */
const AUTOCHECKPOINT_PAGES = 1000;
/** While the thread runs: the app's connection checkpoints only a log this large (~40 MB). */
export const BACKSTOP_PAGES = 10 * AUTOCHECKPOINT_PAGES;

/** SQLite's answer to `PRAGMA wal_checkpoint(PASSIVE)`: busy, frames in the log, frames copied back. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * A pass: checkpoints until the log is copied to its end, at most `attempts` times; returns how many ran.
 * Only a log copied to its end restarts at the next commit, and one that never restarts grows until the
 * app's own connection checkpoints it on the request path (bench:scale: every ~2.5 s at 100 submissions a
 * second, 30–70 ms each). A checkpoint copies the log as it was when it began, so "all copied" means
 * nothing more only when the next one finds the log no longer: commits made while it copied and synced
 * are copied by the next, shorter one. It runs in the worker (its source is part of the worker's), so it
 * uses nothing but its arguments.
 */
export function drainLog(checkpoint: () => CheckpointResult, attempts: number): number {
  let copied = -1;
  for (let i = 0; i < attempts; i++) {
    const r = checkpoint();
    if (r.busy !== 0 || r.log <= 0) return i + 1;
    if (r.checkpointed >= r.log) {
      if (r.log === copied) return i + 1;
      copied = r.log;
    }
  }
  return attempts;
}

// Plain CommonJS, run with eval: the server is bundled, so a worker file of its own would need a bundle
// entry of its own; better-sqlite3 is loaded from the path the app itself resolved.
const WORKER_SOURCE = `
const drainLog = ${drainLog.toString()};
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
db.pragma('cache_size = -1000');
const pass = () => drainLog(() => db.pragma('wal_checkpoint(PASSIVE)')[0], workerData.drainAttempts);
const timer = setInterval(() => {
  try {
    pass();
  } catch (error) {
    parentPort.postMessage({ warning: String(error && error.message ? error.message : error) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

export interface Checkpointer {
  /** Stops the worker and waits for its connection to close (before the app's own closes, the last). */
  stop(): Promise<void>;
}

type WorkerMessage = { ready: true } | { warning: string };

/**
 * Every 50 ms: a checkpoint's writes into the file and its sync slow the app's own reads from the disk
 * while they last, and the fewer pages each one carries, the shorter that is. bench:scale's world
 * submissions met their p99 goal in 5 of 5 runs at 50 ms against 7 of 12 at 250 ms, for ~0.25 ms more CPU
 * per submission, spent on the worker's thread.
 */
export function startCheckpointer(db: Db, path: string, intervalMs = 50, drainAttempts = 8): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), path, intervalMs, drainAttempts },
    // Checkpointing needs little: keep the thread's own heap small.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
  });
  worker.unref();
  let stopping = false;
  let fellBack = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const fallBack = (why: string): void => {
    if (fellBack || stopping) return;
    fellBack = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    process.emitWarning(`The SQLite checkpoint thread stopped (${why}); the app's connection checkpoints the log itself from now on.`, { code: 'RC_SQLITE_CHECKPOINTER' });
  };
  worker.on('message', (message: WorkerMessage) => {
    if ('ready' in message) {
      if (!stopping && db.open) db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    } else {
      process.emitWarning(`A background SQLite checkpoint failed: ${message.warning}`, { code: 'RC_SQLITE_CHECKPOINT' });
    }
  });
  worker.once('error', (error) => fallBack(error.message));
  worker.once('exit', (code) => fallBack(`exit code ${code}`));
  return {
    stop: async () => {
      if (stopping) return exited;
      stopping = true;
      // Unreferenced, the thread would not keep the process alive until it has closed its connection.
      worker.ref();
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      worker.postMessage('stop');
      await exited;
    },
  };
}
