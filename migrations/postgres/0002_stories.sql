-- sqlite/0006 for PostgreSQL, column for column: the check-in's story (private or not), the message a
-- consultation was asked from, where its verdict was posted, and the record its verdict showed.
ALTER TABLE consultations
  ADD COLUMN story         TEXT COLLATE "C",
  ADD COLUMN story_private SMALLINT NOT NULL DEFAULT 0 CHECK (story_private IN (0, 1)),
  ADD COLUMN story_by      TEXT COLLATE "C",
  ADD COLUMN story_author  TEXT COLLATE "C",
  ADD COLUMN story_at      BIGINT,
  ADD COLUMN source_url    TEXT COLLATE "C",
  ADD COLUMN verdict_url   TEXT COLLATE "C",
  ADD COLUMN history_json  TEXT COLLATE "C";

-- The verdict reads the last consultations on its topic in the workspace.
CREATE INDEX consultations_by_workspace_topic ON consultations (workspace, topic, created_at);

-- Full-text search over each question and its story unless the story is private. An expression index
-- rather than a generated tsvector column: the table keeps exactly SQLite's columns, so `db copy` and
-- SELECT * move rows between the engines unchanged. Queries repeat this expression to use the index.
CREATE INDEX consultations_search ON consultations USING GIN (
  to_tsvector('english', question || ' ' || CASE WHEN story_private = 0 THEN coalesce(story, '') ELSE '' END)
);
