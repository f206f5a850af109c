-- The scheduler's digest sweep asks, for each of a page of 200 workspaces, whether a digest is waiting.
-- Through scheduled_jobs_by_workspace each answer landed on a leaf of an index of every job ever queued
-- (a million check-ins in bench:scale's world), 200 scattered pages a pass. The waiting digests alone are
-- one row per workspace: a small index that stays in memory. The columns of its condition are in it too,
-- so a probe reads the index alone: SQLite does not take a partial index's WHERE as known, and would
-- otherwise read each job's row to check kind and done_at.
CREATE INDEX scheduled_jobs_waiting_digest ON scheduled_jobs (workspace, kind, done_at) WHERE kind = 'digest' AND done_at IS NULL;
