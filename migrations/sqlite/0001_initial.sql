-- The first schema: consultations are predictions; outcomes score them; jobs make check-ins and
-- digests durable. Every row carries its workspace (Slack team or Teams tenant) and is read by it.

CREATE TABLE consultations (
  id                TEXT PRIMARY KEY,
  workspace         TEXT NOT NULL,
  platform          TEXT NOT NULL CHECK (platform IN ('slack', 'teams', 'cli')),
  channel           TEXT,
  user_id           TEXT NOT NULL,
  question          TEXT NOT NULL,
  topic             TEXT NOT NULL,
  knowledge_version TEXT NOT NULL,
  answers_json      TEXT NOT NULL,
  verdict           TEXT NOT NULL CHECK (verdict IN ('adopt', 'adopt-with-guardrails', 'not-yet')),
  risk_score        REAL NOT NULL,
  assessment_json   TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  check_in_at       INTEGER NOT NULL,
  not_adopted       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX consultations_by_workspace_time ON consultations (workspace, created_at);
CREATE INDEX consultations_by_workspace_user ON consultations (workspace, user_id, created_at);

CREATE TABLE predictions (
  id                INTEGER PRIMARY KEY,
  consultation_id   TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
  workspace         TEXT NOT NULL,
  topic             TEXT NOT NULL,
  failure_mode      TEXT NOT NULL,
  probability       REAL NOT NULL CHECK (probability > 0 AND probability < 1),
  model_probability REAL NOT NULL,
  horizon_months    INTEGER NOT NULL,
  knowledge_version TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  UNIQUE (consultation_id, failure_mode)
);
CREATE INDEX predictions_by_workspace_time ON predictions (workspace, created_at);

CREATE TABLE estimates (
  id              INTEGER PRIMARY KEY,
  consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
  workspace       TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('cost', 'time')),
  p10             REAL NOT NULL,
  p50             REAL NOT NULL,
  p90             REAL NOT NULL,
  unit            TEXT NOT NULL,
  UNIQUE (consultation_id, kind)
);

-- One row per resolved prediction or estimate; a later answer replaces an earlier one.
CREATE TABLE outcomes (
  id             INTEGER PRIMARY KEY,
  workspace      TEXT NOT NULL,
  prediction_id  INTEGER UNIQUE REFERENCES predictions (id) ON DELETE CASCADE,
  estimate_id    INTEGER UNIQUE REFERENCES estimates (id) ON DELETE CASCADE,
  happened       INTEGER CHECK (happened IN (0, 1)),
  actual_value   REAL,
  recorded_by    TEXT NOT NULL,
  recorded_at    INTEGER NOT NULL,
  CHECK ((prediction_id IS NULL) <> (estimate_id IS NULL))
);
CREATE INDEX outcomes_by_workspace_time ON outcomes (workspace, recorded_at);

CREATE TABLE processed_events (
  workspace  TEXT NOT NULL,
  event_key  TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (workspace, event_key)
) WITHOUT ROWID;

CREATE TABLE scheduled_jobs (
  id           INTEGER PRIMARY KEY,
  workspace    TEXT NOT NULL,
  kind         TEXT NOT NULL,
  job_key      TEXT NOT NULL UNIQUE,
  due_at       INTEGER NOT NULL,
  payload_json TEXT NOT NULL DEFAULT '{}',
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  lease_until  INTEGER,
  done_at      INTEGER,
  created_at   INTEGER NOT NULL
);
CREATE INDEX scheduled_jobs_due ON scheduled_jobs (done_at, due_at);

CREATE TABLE workspace_settings (
  workspace      TEXT PRIMARY KEY,
  digest_channel TEXT,
  digest_weekday INTEGER CHECK (digest_weekday BETWEEN 1 AND 7),
  digest_hour    INTEGER CHECK (digest_hour BETWEEN 0 AND 23),
  digest_minute  INTEGER CHECK (digest_minute BETWEEN 0 AND 59),
  digest_tz      TEXT,
  updated_at     INTEGER NOT NULL
);
