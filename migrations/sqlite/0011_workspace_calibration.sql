-- The calibration learned from a workspace's outcomes, with the outcome version it was learned at, so a
-- process that has not seen the workspace yet (a restart, another replica, a cache that let it go) reads
-- one row instead of refitting from every resolved prediction before it can answer (bench:scale).
CREATE TABLE workspace_calibration (
  workspace       TEXT PRIMARY KEY,
  outcome_version TEXT NOT NULL,
  model_json      TEXT NOT NULL,
  updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
