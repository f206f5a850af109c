-- Unfinished step-by-step questionnaires (Slack DMs, Teams chats), so a restart loses nobody's
-- answers. Keyed by the conversation and thread the questionnaire lives in.
CREATE TABLE conversations (
  workspace        TEXT NOT NULL,
  platform         TEXT NOT NULL CHECK (platform IN ('slack', 'teams')),
  conversation_key TEXT NOT NULL,
  user_id          TEXT NOT NULL,
  state_json       TEXT NOT NULL,
  message_ref      TEXT,
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (workspace, platform, conversation_key)
) WITHOUT ROWID;

-- Proactive messaging needs where to reach a user or channel later (Teams ConversationReference).
CREATE TABLE conversation_references (
  workspace  TEXT NOT NULL,
  platform   TEXT NOT NULL,
  ref_key    TEXT NOT NULL,
  ref_json   TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (workspace, platform, ref_key)
) WITHOUT ROWID;
