-- What a submission writes and reads in a big database (bench:scale, 10,000 workspaces, 10 million
-- predictions; page reads counted per submission with strace, pages written from the write-ahead log).
--
-- A learned calibration is ~4 KB of JSON. In a WITHOUT ROWID table the whole row is the b-tree's key, and
-- interior pages hold keys, so ~1 KB of every row sat in each interior cell: four cells a page, a tree seven
-- levels deep, and ~11 page reads to find one workspace's fit (each a cache miss once 10,000 workspaces
-- take turns). As a rowid table the lookup walks a small index of workspace names and a table whose interior
-- pages hold only rowids: ~3 reads.
CREATE TABLE workspace_calibration_rows (
  workspace       TEXT PRIMARY KEY,
  outcome_version TEXT NOT NULL,
  model_json      TEXT NOT NULL,
  updated_at      INTEGER NOT NULL
);
INSERT INTO workspace_calibration_rows (workspace, outcome_version, model_json, updated_at)
  SELECT workspace, outcome_version, model_json, updated_at FROM workspace_calibration;
DROP TABLE workspace_calibration;
ALTER TABLE workspace_calibration_rows RENAME TO workspace_calibration;

-- No request reads predictions by workspace and time, yet every submission added ten entries to it: two
-- pages written and read per submission in the big database. Purging a workspace finds its predictions
-- through its consultations instead (store/table-keys.ts, workspaceRows).
DROP INDEX predictions_by_workspace_time;

-- Purging a workspace deletes its installation by key or by team; the team had no index, so a purge read
-- every installation (found by the plan test once purge joined the statements it checks).
CREATE INDEX installations_by_team ON installations (team_id);
