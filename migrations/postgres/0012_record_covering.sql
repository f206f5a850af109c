-- The record a verdict shows, read from one index: each workspace's decisions on a topic sit side by side
-- in it, newest first, with what the record adds up (verdict, adoption, outcome record, whether there is
-- a story). Before, the index found the rows and each of up to 50 was fetched from the table, where
-- they lie scattered among every workspace's (~11 rows to a page of 809 MB in bench:scale's world): a
-- world's submission read ~15 table pages nothing else keeps warm, and waited on the disk whenever it
-- was slow (slow-statement log, 2026-12-07: the record's SELECT 300–800 ms while the disk stalled, the
-- empty database's untouched). Story text, author and link are left out (their length is the user's):
-- the few rows with a story are fetched from the table.
CREATE INDEX consultations_record ON consultations (workspace, topic, created_at DESC, id)
  INCLUDE (platform, user_id, verdict, not_adopted, story_at, record_json);
DROP INDEX consultations_by_workspace_topic;
