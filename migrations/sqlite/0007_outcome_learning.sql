-- What learning and the success metrics need from a consultation's outcome. Estimates keep the
-- knowledge base's own quantiles beside the ones shown (learned cost/time ranges are refitted from the
-- model's figures, never from earlier learned ones); predictions keep the failure mode's severity as
-- predicted; consultations record whether the asker followed the suggested alternative.
ALTER TABLE estimates ADD COLUMN model_p10 REAL;
ALTER TABLE estimates ADD COLUMN model_p50 REAL;
ALTER TABLE estimates ADD COLUMN model_p90 REAL;
-- Until now every estimate shown was the knowledge base's own.
UPDATE estimates SET model_p10 = p10, model_p50 = p50, model_p90 = p90;

ALTER TABLE predictions ADD COLUMN severity TEXT CHECK (severity IN ('low', 'medium', 'high'));
-- The severity shown is in the stored assessment: failureModes[].{id, severity}.
UPDATE predictions SET severity = (
  SELECT json_extract(fm.value, '$.severity')
  FROM consultations c,
       json_each(CASE WHEN json_valid(c.assessment_json) THEN c.assessment_json ELSE '{}' END, '$.failureModes') fm
  WHERE c.id = predictions.consultation_id
    AND json_extract(fm.value, '$.id') = predictions.failure_mode
    AND json_extract(fm.value, '$.severity') IN ('low', 'medium', 'high')
  LIMIT 1
);

ALTER TABLE consultations ADD COLUMN followed_alternative INTEGER CHECK (followed_alternative IN (0, 1));
