-- Slack installations by OAuth, one per workspace (or per Enterprise Grid org for an org-wide
-- install). The tokens live only inside `sealed`, encrypted by the app before they get here.
CREATE TABLE installations (
  install_key        TEXT PRIMARY KEY,
  team_id            TEXT,
  enterprise_id      TEXT,
  enterprise_install INTEGER NOT NULL DEFAULT 0 CHECK (enterprise_install IN (0, 1)),
  sealed             TEXT NOT NULL,
  expires_at         INTEGER,
  version            INTEGER NOT NULL DEFAULT 1,
  updated_at         INTEGER NOT NULL
);

-- Per-user consultation counters, one row per user and hour: the limit holds across replicas and
-- costs one row whatever the traffic.
CREATE TABLE rate_limits (
  workspace    TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  hits         INTEGER NOT NULL,
  PRIMARY KEY (workspace, user_id, window_start)
) WITHOUT ROWID;
CREATE INDEX rate_limits_by_window ON rate_limits (window_start);

-- Uninstalling stops a workspace's scheduled sends: its pending jobs are found by workspace.
CREATE INDEX scheduled_jobs_by_workspace ON scheduled_jobs (workspace, kind, done_at);
