-- sqlite/0006 for PostgreSQL, column for column: the knowledge base's own quantiles beside the ones
-- shown (learning reads the model's figures, never earlier learned ones), each prediction's severity
-- as predicted, and whether the asker followed the suggested alternative.
ALTER TABLE estimates ADD COLUMN model_p10 DOUBLE PRECISION;
ALTER TABLE estimates ADD COLUMN model_p50 DOUBLE PRECISION;
ALTER TABLE estimates ADD COLUMN model_p90 DOUBLE PRECISION;
-- Until now every estimate shown was the knowledge base's own.
UPDATE estimates SET model_p10 = p10, model_p50 = p50, model_p90 = p90;

ALTER TABLE predictions ADD COLUMN severity TEXT COLLATE "C" CHECK (severity IN ('low', 'medium', 'high'));
-- The severity shown is in the stored assessment: failureModes[].{id, severity}.
UPDATE predictions p SET severity = fm.value ->> 'severity'
FROM consultations c,
     LATERAL jsonb_array_elements(
       CASE WHEN jsonb_typeof(c.assessment_json::jsonb -> 'failureModes') = 'array' THEN c.assessment_json::jsonb -> 'failureModes' ELSE '[]'::jsonb END
     ) AS fm(value)
WHERE c.id = p.consultation_id
  AND fm.value ->> 'id' = p.failure_mode
  AND fm.value ->> 'severity' IN ('low', 'medium', 'high');

ALTER TABLE consultations ADD COLUMN followed_alternative SMALLINT CHECK (followed_alternative IN (0, 1));
