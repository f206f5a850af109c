-- Pruning drops old dedupe keys by time across every workspace (every ten minutes): without an index
-- that is a scan of the whole table, which holds a day of keys (PostgreSQL has had this index from 0001).
CREATE INDEX processed_events_by_time ON processed_events (created_at);
