-- Which platform a workspace's digest settings came from, so the digest goes out through the same
-- one even before the workspace's first consultation.
ALTER TABLE workspace_settings ADD COLUMN platform TEXT CHECK (platform IN ('slack', 'teams'));
