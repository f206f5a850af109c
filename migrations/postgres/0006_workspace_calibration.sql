-- The calibration learned from a workspace's outcomes, with the outcome version it was learned at
-- (sqlite/0008): a replica that has not seen the workspace yet reads one row instead of refitting.
CREATE TABLE workspace_calibration (
  workspace       TEXT COLLATE "C" PRIMARY KEY,
  outcome_version TEXT COLLATE "C" NOT NULL,
  model_json      TEXT COLLATE "C" NOT NULL,
  updated_at      BIGINT NOT NULL
);
