-- What became of each consultation, on its own row: every failure mode with its answer and every estimate's
-- median with the actual, in saving order (store/decisions.ts, OutcomeRecord). save writes it open and
-- recordOutcomes rewrites it with the outcomes, so the workspace's record a verdict shows reads one row per
-- past decision instead of its predictions, estimates and outcomes (bench:scale: ~450 scattered rows each).
ALTER TABLE consultations ADD COLUMN record_json TEXT NOT NULL DEFAULT '{"f":[],"e":[]}';

UPDATE consultations SET record_json = json_object(
  'f', json((SELECT json_group_array(json_array(p.failure_mode, o.happened) ORDER BY p.id)
             FROM predictions p LEFT JOIN outcomes o ON o.prediction_id = p.id WHERE p.consultation_id = consultations.id)),
  'e', json((SELECT json_group_array(json_array(e.kind, e.p50, o.actual_value) ORDER BY e.id)
             FROM estimates e LEFT JOIN outcomes o ON o.estimate_id = e.id WHERE e.consultation_id = consultations.id)));

-- The record by topic, newest first, answered from this index alone: one workspace's decisions on a topic
-- sit together in it, where the table holds them scattered among every workspace's (one page read each,
-- and more for the columns stored after the assessment's overflow). It replaces the plain topic index.
DROP INDEX consultations_by_workspace_topic;
CREATE INDEX consultations_record ON consultations (
  workspace, topic, created_at DESC, id,
  platform, user_id, question, verdict, check_in_at, not_adopted,
  story_private, story, story_by, story_author, story_at, verdict_url, source_url, record_json
);
