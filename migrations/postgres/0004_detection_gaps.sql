-- What people ask about that the knowledge base has no topic for: the subjects and unknown words of
-- questions that fell to the general assessment or left detection unsure, counted per workspace, so
-- whoever curates the knowledge base sees what to write next (`reality-check kb gaps`).
CREATE TABLE detection_gaps (
  workspace TEXT COLLATE "C" NOT NULL,
  term      TEXT COLLATE "C" NOT NULL,
  asks      BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  PRIMARY KEY (workspace, term)
);
CREATE INDEX detection_gaps_by_asks ON detection_gaps (workspace, asks DESC, term);
