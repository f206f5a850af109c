// bench:scale's SQLite warm-up, on a worker thread: walking a 23 GB world's indexes page by page takes up
// to a minute, and on the benchmark's main thread it held up the Slack stand-in beside it, so a server's
// start-up call to Slack timed out (2026-12-07). Reads every table and index but the history's own, and
// posts back how many bytes that was.
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

const { file, skip } = workerData as { file: string; skip: string[] };
// dbstat walks each b-tree page by page (SQLite's own table of pages; the bench's reader only).
const reader = new Sqlite(file, { readonly: true });
try {
  const names = reader.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND rootpage > 0").pluck().all() as string[];
  const size = reader.prepare('SELECT pgsize FROM dbstat WHERE name = ? AND aggregate = TRUE').pluck();
  const skipped = new Set(skip);
  parentPort!.postMessage(names.filter((n) => !skipped.has(n)).reduce((sum, n) => sum + Number(size.get(n) ?? 0), 0));
} finally {
  reader.close();
}
