-- No request reads predictions by workspace and time, yet every submission added ten entries to it (as
-- sqlite/0014). Purging a workspace finds its predictions through its consultations instead
-- (store/table-keys.ts, workspaceRows).
DROP INDEX predictions_by_workspace_time;

-- Purging a workspace deletes its installation by key or by team; the team had no index, so a purge read
-- every installation (as sqlite/0014).
CREATE INDEX installations_by_team ON installations (team_id);
