-- Questionnaires somebody started and never finished or cancelled stayed for good: the table grew with
-- every person who ever opened one. The scheduler's housekeeping now drops those left untouched for 30
-- days, a batch at a time; this index lets a batch find them from the oldest without reading the table.
CREATE INDEX conversations_by_age ON conversations (updated_at);
