-- The rate-limit counters keyed by their hour first. Every slash command writes one; with the key
-- (workspace, user_id, window_start) and a second index on window_start, a new person's first command
-- wrote two pages at random places (a leaf of each tree) and committed both. Keyed (window_start,
-- workspace, user_id), the table is its own window index: a hit writes one leaf, this hour's rows sit
-- together, and pruning old hours deletes a range from the front of the same tree.

CREATE TABLE rate_limits_next (
  workspace    TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  hits         INTEGER NOT NULL,
  PRIMARY KEY (window_start, workspace, user_id)
) WITHOUT ROWID;

INSERT INTO rate_limits_next (workspace, user_id, window_start, hits)
  SELECT workspace, user_id, window_start, hits FROM rate_limits;

DROP TABLE rate_limits;
ALTER TABLE rate_limits_next RENAME TO rate_limits;
