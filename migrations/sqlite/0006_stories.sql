-- The organisation's own war stories. A check-in may record what happened in a sentence or two (kept
-- private or not); a consultation remembers the message it was asked from, where its verdict was
-- posted, and the workspace's record on the topic as its verdict showed it.
ALTER TABLE consultations ADD COLUMN story TEXT;
ALTER TABLE consultations ADD COLUMN story_private INTEGER NOT NULL DEFAULT 0 CHECK (story_private IN (0, 1));
ALTER TABLE consultations ADD COLUMN story_by TEXT;
ALTER TABLE consultations ADD COLUMN story_author TEXT;
ALTER TABLE consultations ADD COLUMN story_at INTEGER;
ALTER TABLE consultations ADD COLUMN source_url TEXT;
ALTER TABLE consultations ADD COLUMN verdict_url TEXT;
ALTER TABLE consultations ADD COLUMN history_json TEXT;

-- The verdict reads the last consultations on its topic in the workspace.
CREATE INDEX consultations_by_workspace_topic ON consultations (workspace, topic, created_at);

-- Full-text search over each question and its story, unless the story is private (a private story's
-- words must not make a search find it). Kept by triggers, so every write path (the app, `db copy`)
-- keeps it in step; it is derived data, never copied. Rows are found by the consultation's rowid and
-- checked against its id: should a VACUUM ever renumber rowids, an update misses instead of landing on
-- another consultation, and searches join back by id.
CREATE VIRTUAL TABLE consultations_fts USING fts5(consultation_id UNINDEXED, question, story, tokenize = 'porter unicode61 remove_diacritics 2');

CREATE TRIGGER consultations_fts_insert AFTER INSERT ON consultations BEGIN
  INSERT INTO consultations_fts (rowid, consultation_id, question, story)
  VALUES (new.rowid, new.id, new.question, CASE WHEN new.story_private = 0 THEN coalesce(new.story, '') ELSE '' END);
END;

CREATE TRIGGER consultations_fts_delete AFTER DELETE ON consultations BEGIN
  DELETE FROM consultations_fts WHERE rowid = old.rowid AND consultation_id = old.id;
END;

CREATE TRIGGER consultations_fts_update AFTER UPDATE OF question, story, story_private ON consultations BEGIN
  UPDATE consultations_fts
  SET question = new.question, story = CASE WHEN new.story_private = 0 THEN coalesce(new.story, '') ELSE '' END
  WHERE rowid = new.rowid AND consultation_id = new.id;
END;

INSERT INTO consultations_fts (rowid, consultation_id, question, story) SELECT rowid, id, question, '' FROM consultations;
