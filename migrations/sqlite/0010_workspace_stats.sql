-- Per-workspace running totals, kept in the same transaction as the rows they count: open predictions,
-- the sums behind the Brier score and the cost/time hit rates, a version that moves with every outcome,
-- and the workspace's first platform. App Home, recalibration, the metrics gauges and the digest sweep
-- read one row per workspace instead of its whole history (bench:scale: App Home read ~2,000 rows per
-- open, /metrics scanned all 10 million predictions twice per scrape).
CREATE TABLE workspace_stats (
  workspace        TEXT PRIMARY KEY,
  platform         TEXT NOT NULL,
  first_at         INTEGER NOT NULL,
  first_id         TEXT NOT NULL,
  consultations    INTEGER NOT NULL DEFAULT 0,
  open_predictions INTEGER NOT NULL DEFAULT 0,
  resolved         INTEGER NOT NULL DEFAULT 0,
  happened         INTEGER NOT NULL DEFAULT 0,
  squared_error    REAL NOT NULL DEFAULT 0,
  cost_resolved    INTEGER NOT NULL DEFAULT 0,
  cost_inside      INTEGER NOT NULL DEFAULT 0,
  time_resolved    INTEGER NOT NULL DEFAULT 0,
  time_inside      INTEGER NOT NULL DEFAULT 0,
  outcome_version  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- The totals of what is already there, counted the way the store counts from now on.
INSERT INTO workspace_stats (workspace, platform, first_at, first_id, consultations)
SELECT workspace, platform, created_at, id, n FROM (
  SELECT workspace, platform, created_at, id, COUNT(*) OVER (PARTITION BY workspace) AS n,
         ROW_NUMBER() OVER (PARTITION BY workspace ORDER BY created_at, id) AS rn
  FROM consultations) AS f
WHERE rn = 1;

UPDATE workspace_stats SET open_predictions = x.n
FROM (SELECT p.workspace, COUNT(*) AS n FROM predictions p JOIN consultations c ON c.id = p.consultation_id
      LEFT JOIN outcomes o ON o.prediction_id = p.id WHERE c.not_adopted = 0 AND o.id IS NULL GROUP BY p.workspace) AS x
WHERE x.workspace = workspace_stats.workspace;

UPDATE workspace_stats SET resolved = x.n, happened = x.hits, squared_error = x.se
FROM (SELECT p.workspace, COUNT(*) AS n, SUM(o.happened) AS hits, SUM((p.probability - o.happened) * (p.probability - o.happened)) AS se
      FROM outcomes o JOIN predictions p ON p.id = o.prediction_id JOIN consultations c ON c.id = p.consultation_id
      WHERE c.not_adopted = 0 AND o.happened IS NOT NULL GROUP BY p.workspace) AS x
WHERE x.workspace = workspace_stats.workspace;

UPDATE workspace_stats SET cost_resolved = x.cn, cost_inside = x.ci, time_resolved = x.tn, time_inside = x.ti
FROM (SELECT e.workspace,
             SUM(CASE WHEN e.kind = 'cost' THEN 1 ELSE 0 END) AS cn,
             SUM(CASE WHEN e.kind = 'cost' AND o.actual_value BETWEEN e.p10 AND e.p90 THEN 1 ELSE 0 END) AS ci,
             SUM(CASE WHEN e.kind = 'time' THEN 1 ELSE 0 END) AS tn,
             SUM(CASE WHEN e.kind = 'time' AND o.actual_value BETWEEN e.p10 AND e.p90 THEN 1 ELSE 0 END) AS ti
      FROM outcomes o JOIN estimates e ON e.id = o.estimate_id JOIN consultations c ON c.id = e.consultation_id
      WHERE c.not_adopted = 0 AND o.actual_value > 0 GROUP BY e.workspace) AS x
WHERE x.workspace = workspace_stats.workspace;

UPDATE workspace_stats SET outcome_version = x.n
FROM (SELECT workspace, COUNT(*) AS n FROM outcomes GROUP BY workspace) AS x
WHERE x.workspace = workspace_stats.workspace;
