// The server's SQLite connection leaves WAL checkpoints to a thread of its own: the log stays small while
// the app's connection only checkpoints at its backstop, the thread's connection closes with the store, and
// should the thread fail the app's connection checkpoints at SQLite's default again.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/sqlite/database.js';
import { BACKSTOP_PAGES, drainLog, startCheckpointer, type CheckpointResult } from '../../src/store/sqlite/checkpointer.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

afterEach(() => removeTempDirs());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const autocheckpoint = (db: Db): number => db.pragma('wal_autocheckpoint', { simple: true }) as number;
const walBytes = (path: string): number => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await sleep(10);
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/**
 * 10 bursts of 20 commits of ~25 pages each, with pauses between the bursts: ~20 MB through the log, under
 * the backstop. Returns the log's largest size.
 */
async function writeMuch(db: Db): Promise<number> {
  db.exec('CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, body BLOB)');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  let largest = 0;
  for (let burst = 0; burst < 10; burst++) {
    for (let i = 0; i < 20; i++) {
      insert.run(Buffer.alloc(100_000, i % 256));
      largest = Math.max(largest, walBytes(db.name));
    }
    await sleep(150);
  }
  return largest;
}

/** A checkpoint that answers as SQLite did, one scripted answer per call; records how many were asked. */
function scripted(answers: Array<[log: number, checkpointed: number, busy?: number]>): { checkpoint: () => CheckpointResult; calls: () => number } {
  let calls = 0;
  return {
    checkpoint: () => {
      const [log, checkpointed, busy = 0] = answers[Math.min(calls++, answers.length - 1)]!;
      return { busy, log, checkpointed };
    },
    calls: () => calls,
  };
}

describe("a checkpoint pass's drain", () => {
  it('stops once a checkpoint finds the log it copied whole no longer: nothing new came in', () => {
    const c = scripted([[100, 100], [100, 100]]);
    expect(drainLog(c.checkpoint, 8)).toBe(2);
  });

  it('checkpoints again while commits made during the last one keep the log from being copied to its end', () => {
    // Each answer says "all copied" of the log as it was when that checkpoint began; commits made while it
    // synced grew it. Stopping at the first would leave 30, then 5 frames uncopied: the log never restarts.
    const c = scripted([[100, 100], [130, 130], [135, 135], [135, 135]]);
    expect(drainLog(c.checkpoint, 8)).toBe(4);
    expect(c.calls()).toBe(4);
  });

  it('goes on while a reader keeps part of the log from being copied, up to its attempts', () => {
    const c = scripted([[100, 60]]);
    expect(drainLog(c.checkpoint, 5)).toBe(5);
  });

  it('stops at once when the checkpoint was busy or the log is empty', () => {
    expect(drainLog(scripted([[100, 0, 1]]).checkpoint, 8)).toBe(1);
    expect(drainLog(scripted([[0, 0]]).checkpoint, 8)).toBe(1);
  });
});

describe('SQLite checkpoints in a thread of their own', () => {
  it('keeps the log small while the app connection checkpoints only at its backstop; without the thread it grows', async () => {
    const path = join(makeTempDir(), 'rc.db');
    const db = openDatabase(path);
    const checkpointer = startCheckpointer(db, path, 20);
    await until(() => autocheckpoint(db) === BACKSTOP_PAGES, 'the thread to take over');
    const withThread = await writeMuch(db);
    await checkpointer.stop();
    expect(autocheckpoint(db)).toBe(1000);
    db.close();

    const other = join(makeTempDir(), 'rc.db');
    const alone = openDatabase(other);
    alone.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    const withoutThread = await writeMuch(alone);
    alone.close();

    expect(withoutThread).toBeGreaterThan(15_000_000);
    expect(withThread).toBeLessThan(withoutThread / 2);
  });

  it("closes the thread's connection with the store, so the last close removes the log", async () => {
    const path = join(makeTempDir(), 'rc.db');
    const store = openSqliteStore(path, { backgroundCheckpoints: true });
    await until(() => autocheckpoint(store.db) === BACKSTOP_PAGES, 'the thread to take over');
    await store.rateLimits.hit('T1', 'U1', 1_000, 30);
    expect(existsSync(`${path}-wal`)).toBe(true);
    await store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('falls back to checkpointing on the app connection, with a warning, when the thread cannot run', async () => {
    const path = join(makeTempDir(), 'rc.db');
    const db = openDatabase(path);
    db.pragma('wal_autocheckpoint = 0');
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) => warnings.push(`${w.code}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      // The thread opens its own connection to a file that cannot exist.
      startCheckpointer(db, join(path, 'missing', 'rc.db'), 20);
      await until(() => warnings.length > 0, 'the warning');
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings[0]).toMatch(/^RC_SQLITE_CHECKPOINTER: The SQLite checkpoint thread stopped/);
    expect(autocheckpoint(db)).toBe(1000);
    db.close();
  });
});
