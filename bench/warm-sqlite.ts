// bench:scale's SQLite warm-up, on a worker thread: walking a 23 GB world's indexes page by page takes up
// to a minute, and on the benchmark's main thread it held up the Slack stand-in beside it, so a server's
// start-up call to Slack timed out (2026-12-07). Reads every table and index but the history's own, twice,
// and posts back how many bytes that is.
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';

const { file, skip } = workerData as { file: string; skip: string[] };
// dbstat walks each b-tree page by page (SQLite's own table of pages; the bench's reader only).
const reader = new Sqlite(file, { readonly: true });
try {
  const names = reader.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND rootpage > 0").pluck().all() as string[];
  const size = reader.prepare('SELECT pgsize FROM dbstat WHERE name = ? AND aggregate = TRUE').pluck();
  const skipped = new Set(skip);
  const warmed = names.filter((n) => !skipped.has(n));
  // Twice: Linux puts a page read once on its inactive list, the first to go when memory runs short, and a
  // page read again on its active list, where the pages a running server keeps using are. Read once, the
  // warmed pages were what the run's own writes pushed out: the world's submissions then read 4.1 KiB each
  // from the disk and their p99 was 1.92x (2026-12-07, with the other engine's world filling the cache).
  const bytes = warmed.reduce((sum, n) => sum + Number(size.get(n) ?? 0), 0);
  for (const n of warmed) size.get(n);
  parentPort!.postMessage(bytes);
} finally {
  reader.close();
}
