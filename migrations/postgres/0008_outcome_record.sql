-- What became of each consultation, on its own row (as sqlite/0013): every failure mode with its answer and
-- every estimate's median with the actual, in saving order (store/decisions.ts, OutcomeRecord). save writes
-- it open and recordOutcomes rewrites it with the outcomes, so the workspace's record a verdict shows reads
-- one row per past decision instead of its predictions, estimates and outcomes.
ALTER TABLE consultations ADD COLUMN record_json TEXT NOT NULL DEFAULT '{"f":[],"e":[]}';

UPDATE consultations c SET record_json = json_build_object(
  'f', coalesce((SELECT json_agg(json_build_array(p.failure_mode, o.happened) ORDER BY p.id)
                 FROM predictions p LEFT JOIN outcomes o ON o.prediction_id = p.id WHERE p.consultation_id = c.id), '[]'::json),
  'e', coalesce((SELECT json_agg(json_build_array(e.kind, e.p50, o.actual_value) ORDER BY e.id)
                 FROM estimates e LEFT JOIN outcomes o ON o.estimate_id = e.id WHERE e.consultation_id = c.id), '[]'::json))::text;
