-- What people ask about that the knowledge base has no topic for: the subjects and unknown words of
-- questions that fell to the general assessment or left detection unsure, counted per workspace, so
-- whoever curates the knowledge base sees what to write next (`reality-check kb gaps`).
CREATE TABLE detection_gaps (
  workspace TEXT NOT NULL,
  term      TEXT NOT NULL,
  asks      INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (workspace, term)
) WITHOUT ROWID;
CREATE INDEX detection_gaps_by_asks ON detection_gaps (workspace, asks DESC, term);
