-- The digest sweep's "is a digest waiting?" per workspace, from an index of the waiting digests alone
-- (one row per workspace) instead of one of every job ever queued (as sqlite/0018).
CREATE INDEX scheduled_jobs_waiting_digest ON scheduled_jobs (workspace) WHERE kind = 'digest' AND done_at IS NULL;
