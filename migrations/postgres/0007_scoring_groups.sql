-- The digest's sums, per workspace (as sqlite/0012): one row for each (topic, failure mode, knowledge
-- version, severity, followed the alternative, calibration bin) with the count, Σp, Σo, Σ(p−o)² and Σ log
-- loss of its resolved failure modes, moved in the same transaction as every outcome (store/stats.ts). A
-- null severity is '', a null "followed" is -1; the rows with bin -1 (and empty topic and failure mode)
-- count the adopted consultations with a resolved failure mode, by followed. The digest reads these
-- instead of every resolved prediction (bench:digest: 5,000 rows per workspace at 1,000,000 predictions).
CREATE TABLE scoring_groups (
  workspace         TEXT COLLATE "C" NOT NULL,
  topic             TEXT COLLATE "C" NOT NULL,
  failure_mode      TEXT COLLATE "C" NOT NULL,
  knowledge_version TEXT COLLATE "C" NOT NULL,
  severity          TEXT COLLATE "C" NOT NULL,
  followed          SMALLINT NOT NULL,
  bin               SMALLINT NOT NULL,
  n                 INTEGER NOT NULL,
  sum_p             DOUBLE PRECISION NOT NULL,
  sum_o             INTEGER NOT NULL,
  sum_sq            DOUBLE PRECISION NOT NULL,
  sum_log           DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (workspace, topic, failure_mode, knowledge_version, severity, followed, bin)
);

-- What is already there, binned as accuracy/calibration.ts bins (floor(10p), nudged to the k/10 edges)
-- and with p clipped to [1e-6, 1 − 1e-6] for the log loss as accuracy/scores.ts clips it.
INSERT INTO scoring_groups (workspace, topic, failure_mode, knowledge_version, severity, followed, bin, n, sum_p, sum_o, sum_sq, sum_log)
SELECT workspace, topic, failure_mode, knowledge_version, severity, followed,
       CASE WHEN k0 > 0 AND p < k0::double precision / 10 THEN k0 - 1 WHEN k0 < 9 AND p >= (k0 + 1)::double precision / 10 THEN k0 + 1 ELSE k0 END AS bin,
       COUNT(*), SUM(p), SUM(o), SUM((p - o) * (p - o)),
       SUM(CASE WHEN o = 1 THEN -ln(LEAST(GREATEST(p, 1e-6::double precision), 1 - 1e-6::double precision)) ELSE -ln(1 - LEAST(GREATEST(p, 1e-6::double precision), 1 - 1e-6::double precision)) END)
FROM (
  SELECT p.workspace, p.topic, p.failure_mode, p.knowledge_version, coalesce(p.severity, '') AS severity,
         coalesce(c.followed_alternative, -1) AS followed, p.probability AS p, o.happened AS o,
         LEAST(9, floor(p.probability * 10)::int) AS k0
  FROM outcomes o JOIN predictions p ON p.id = o.prediction_id JOIN consultations c ON c.id = p.consultation_id
  WHERE c.not_adopted = 0 AND o.happened IS NOT NULL
) AS f
GROUP BY workspace, topic, failure_mode, knowledge_version, severity, followed, bin;

INSERT INTO scoring_groups (workspace, topic, failure_mode, knowledge_version, severity, followed, bin, n, sum_p, sum_o, sum_sq, sum_log)
SELECT c.workspace, '', '', '', '', c.followed_alternative, -1, COUNT(*), 0, 0, 0, 0
FROM consultations c
WHERE c.not_adopted = 0 AND c.followed_alternative IS NOT NULL
  AND EXISTS (SELECT 1 FROM predictions p JOIN outcomes o ON o.prediction_id = p.id WHERE p.consultation_id = c.id AND o.happened IS NOT NULL)
GROUP BY c.workspace, c.followed_alternative;
