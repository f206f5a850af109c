-- Abandoned questionnaires are dropped after 30 days untouched, a batch at a time, found through this
-- index from the oldest (as sqlite/0017).
CREATE INDEX conversations_by_age ON conversations (updated_at);
