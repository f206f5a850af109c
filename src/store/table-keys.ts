// What both engines must agree on about each table, kept once: the primary-key order a copy reads
// in, which tables hold a workspace's rows (purge), and which have generated ids (sequences).
import type { TableName } from './types.js';

/** Primary-key order of each table, so a copy reads it in stable pages. */
export const ORDER: Record<TableName, string> = {
  consultations: 'id',
  predictions: 'id',
  estimates: 'id',
  outcomes: 'id',
  scheduled_jobs: 'id',
  workspace_settings: 'workspace',
  conversations: 'workspace, platform, conversation_key',
  conversation_references: 'workspace, platform, ref_key',
  processed_events: 'workspace, event_key',
  installations: 'install_key',
  rate_limits: 'window_start, workspace, user_id',
  detection_gaps: 'workspace, term',
  workspace_stats: 'workspace',
  workspace_calibration: 'workspace',
  scoring_groups: 'workspace, topic, failure_mode, knowledge_version, severity, followed, bin',
};

/** Tables whose rows belong to a workspace, children before parents so nothing dangles midway. */
export const WORKSPACE_TABLES = [
  'outcomes',
  'estimates',
  'predictions',
  'consultations',
  'scheduled_jobs',
  'workspace_settings',
  'conversations',
  'conversation_references',
  'processed_events',
  'rate_limits',
  'detection_gaps',
  'workspace_stats',
  'workspace_calibration',
  'scoring_groups',
] as const satisfies readonly TableName[];

/**
 * The rows of a table that belong to one workspace, for purge; `p` is the engine's placeholder for the
 * workspace. Predictions and estimates are found through their consultations (ids are unique across
 * workspaces): they carry no index by workspace, since every submission would have to maintain one
 * (bench:scale: 2.3 index pages written per submission in a 10-million-prediction world).
 */
export function workspaceRows(table: (typeof WORKSPACE_TABLES)[number], p: string, engine: 'sqlite' | 'postgres'): string {
  if (table === 'predictions' || table === 'estimates') return `consultation_id IN (SELECT id FROM consultations WHERE workspace = ${p})`;
  if (table === 'rate_limits' && engine === 'sqlite') return `window_start IN (${RATE_LIMIT_WINDOWS}) AND workspace = ${p}`;
  return `workspace = ${p}`;
}

/**
 * The hours rate_limits holds (a day or two of them: older ones are pruned), each found by one index
 * step: SQLite keys the table by the hour first (its migration 0016), so a workspace's rows are reached
 * hour by hour. PostgreSQL's key starts with the workspace.
 */
const RATE_LIMIT_WINDOWS = `WITH RECURSIVE hours(h) AS (
    SELECT min(window_start) FROM rate_limits
    UNION ALL SELECT (SELECT min(window_start) FROM rate_limits WHERE window_start > h) FROM hours WHERE h IS NOT NULL
  ) SELECT h FROM hours WHERE h IS NOT NULL`;

/** Tables with a generated integer id: after rows are copied in with their ids, the generator must move past them. */
export const ID_TABLES = ['predictions', 'estimates', 'outcomes', 'scheduled_jobs'] as const satisfies readonly TableName[];
