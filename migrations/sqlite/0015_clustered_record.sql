-- The record a verdict shows, in a table of its own that keeps each workspace's decisions on a topic
-- side by side. The covering index it replaces (consultations_record, 0013) held ~460 bytes an entry,
-- and an index keeps whole entries in its interior pages too: eight to a page, seven levels, 68 MB of
-- interior pages in bench:scale's world, so every verdict read ~7 pages past SQLite's cache and the
-- write after it (the verdict's link) as many again. A rowid table keeps only numbers in its interior
-- pages (a few hundred to a page; 2 MB for the same world), so when the rowid is the topic group's
-- number times 2^32 plus its place in the group, a group's rows sit on one or two leaf pages. Its order,
-- newest first, comes from a narrow index (~50 bytes an entry, four levels).
--
-- Triggers keep it in step with consultations, so every way a consultation is written (save, outcomes,
-- stories, check-ins, copies, purges) keeps the record without code of its own.

CREATE TABLE record_groups (
  id        INTEGER PRIMARY KEY,
  workspace TEXT NOT NULL,
  topic     TEXT NOT NULL,
  UNIQUE (workspace, topic)
);

CREATE TABLE consultation_records (
  -- record_groups.id * 2^32 + the consultation's place in its group (1, 2, ... as saved).
  rid           INTEGER PRIMARY KEY,
  id            TEXT NOT NULL,
  workspace     TEXT NOT NULL,
  topic         TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  platform      TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  question      TEXT NOT NULL,
  verdict       TEXT NOT NULL,
  check_in_at   INTEGER NOT NULL,
  not_adopted   INTEGER NOT NULL,
  story_private INTEGER NOT NULL,
  story         TEXT,
  story_by      TEXT,
  story_author  TEXT,
  story_at      INTEGER,
  verdict_url   TEXT,
  source_url    TEXT,
  record_json   TEXT NOT NULL
);

INSERT INTO record_groups (workspace, topic) SELECT DISTINCT workspace, topic FROM consultations ORDER BY workspace, topic;

INSERT INTO consultation_records (rid, id, workspace, topic, created_at, platform, user_id, question, verdict, check_in_at,
    not_adopted, story_private, story, story_by, story_author, story_at, verdict_url, source_url, record_json)
  SELECT g.id * 4294967296 + row_number() OVER (PARTITION BY c.workspace, c.topic ORDER BY c.created_at, c.id),
         c.id, c.workspace, c.topic, c.created_at, c.platform, c.user_id, c.question, c.verdict, c.check_in_at,
         c.not_adopted, c.story_private, c.story, c.story_by, c.story_author, c.story_at, c.verdict_url, c.source_url, c.record_json
  FROM consultations c JOIN record_groups g ON g.workspace = c.workspace AND g.topic = c.topic
  ORDER BY 1;

CREATE INDEX consultation_records_by_topic ON consultation_records (workspace, topic, created_at DESC, id);
CREATE UNIQUE INDEX consultation_records_by_id ON consultation_records (id);
DROP INDEX consultations_record;

CREATE TRIGGER consultation_records_insert AFTER INSERT ON consultations BEGIN
  INSERT INTO record_groups (workspace, topic) SELECT new.workspace, new.topic
    WHERE NOT EXISTS (SELECT 1 FROM record_groups WHERE workspace = new.workspace AND topic = new.topic);
  INSERT INTO consultation_records (rid, id, workspace, topic, created_at, platform, user_id, question, verdict, check_in_at,
      not_adopted, story_private, story, story_by, story_author, story_at, verdict_url, source_url, record_json)
    SELECT coalesce((SELECT r.rid FROM consultation_records r WHERE r.rid >= g.id * 4294967296 AND r.rid < (g.id + 1) * 4294967296
                     ORDER BY r.rid DESC LIMIT 1), g.id * 4294967296) + 1,
           new.id, new.workspace, new.topic, new.created_at, new.platform, new.user_id, new.question, new.verdict, new.check_in_at,
           new.not_adopted, new.story_private, new.story, new.story_by, new.story_author, new.story_at, new.verdict_url, new.source_url, new.record_json
    FROM record_groups g WHERE g.workspace = new.workspace AND g.topic = new.topic;
END;

-- What an answer, a story, a check-in or the verdict's link changes: the row in place, its indexes untouched.
CREATE TRIGGER consultation_records_update AFTER UPDATE OF platform, user_id, question, verdict, check_in_at, not_adopted,
    story_private, story, story_by, story_author, story_at, verdict_url, source_url, record_json ON consultations BEGIN
  UPDATE consultation_records SET platform = new.platform, user_id = new.user_id, question = new.question, verdict = new.verdict,
    check_in_at = new.check_in_at, not_adopted = new.not_adopted, story_private = new.story_private, story = new.story,
    story_by = new.story_by, story_author = new.story_author, story_at = new.story_at, verdict_url = new.verdict_url,
    source_url = new.source_url, record_json = new.record_json
  WHERE id IN (old.id, new.id);
END;

-- The app never moves a consultation to another workspace, topic or time; should anything else, the row
-- follows (found by the same queries, only no longer beside its group).
CREATE TRIGGER consultation_records_move AFTER UPDATE OF id, workspace, topic, created_at ON consultations BEGIN
  UPDATE consultation_records SET id = new.id, workspace = new.workspace, topic = new.topic, created_at = new.created_at WHERE id = old.id;
END;

CREATE TRIGGER consultation_records_delete AFTER DELETE ON consultations BEGIN
  DELETE FROM consultation_records WHERE id = old.id;
END;
