-- Scoring reads "was it adopted?" for thousands of predictions at once (the digest, the report):
-- a covering index answers that without reading each consultation's row and its assessment JSON.
CREATE INDEX consultations_adoption ON consultations (id, not_adopted);

-- The same for outcomes: scoring needs only these columns, in the workspace's time order.
CREATE INDEX outcomes_scoring ON outcomes (workspace, recorded_at, prediction_id, happened, estimate_id, actual_value);
