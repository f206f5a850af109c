// The workspace's record on SQLite: consultations by topic, user or FTS5 search (bm25-ranked over the
// question and any story that is not private), then their outcomes in one more query.
import { assembleDecisions, DECISION_COLUMNS, searchTerms, type DecisionOutcomeRaw, type DecisionRaw } from '../decisions.js';
import type { Decision, DecisionQuery } from '../types.js';
import { prep, type Db } from './database.js';

// Ids go in as one JSON array, so one prepared statement serves any number of them. The workspace
// condition is written `+p.workspace` so that it is checked, not looked up: through its index it would read
// every prediction in the workspace (bench:engines found it growing with the workspace), where the ids
// need one look-up each.
const OUTCOMES = `
  SELECT p.consultation_id AS cid, 'fm' AS kind, p.failure_mode AS name, o.happened AS happened, NULL AS p50, NULL AS actual, p.id AS ord
  FROM predictions p LEFT JOIN outcomes o ON o.prediction_id = p.id
  WHERE +p.workspace = ? AND p.consultation_id IN (SELECT value FROM json_each(?))
  UNION ALL
  SELECT e.consultation_id, e.kind, NULL, NULL, e.p50, o.actual_value, e.id
  FROM estimates e LEFT JOIN outcomes o ON o.estimate_id = e.id
  WHERE +e.workspace = ? AND e.consultation_id IN (SELECT value FROM json_each(?))
  ORDER BY 7`;

function filters(workspace: string, q: DecisionQuery): { sql: string; args: Array<string | number> } {
  const parts = ['c.workspace = ?'];
  const args: Array<string | number> = [workspace];
  if (q.topic !== undefined) (parts.push('c.topic = ?'), args.push(q.topic));
  if (q.userId !== undefined) (parts.push('c.user_id = ?'), args.push(q.userId));
  if (q.before !== undefined) (parts.push('c.created_at < ?'), args.push(q.before));
  return { sql: parts.join(' AND '), args };
}

export function sqliteDecisions(db: Db, workspace: string, q: DecisionQuery): Decision[] {
  const where = filters(workspace, q);
  let rows: DecisionRaw[];
  if (q.words !== undefined) {
    const terms = searchTerms(q.words);
    if (terms.length === 0) return [];
    // The FTS table drives the join (CROSS JOIN keeps that order); the consultation's own id, not the
    // rowid, joins back, so a result is always the consultation its words came from.
    rows = prep(db, `SELECT ${DECISION_COLUMNS}
      FROM consultations_fts f CROSS JOIN consultations c ON c.id = f.consultation_id
      WHERE consultations_fts MATCH ? AND ${where.sql}
      ORDER BY bm25(consultations_fts), c.created_at DESC, c.id LIMIT ?`)
      .all(terms.map((t) => `"${t}"`).join(' OR '), ...where.args, q.limit) as DecisionRaw[];
  } else {
    rows = prep(db, `SELECT ${DECISION_COLUMNS} FROM consultations c WHERE ${where.sql} ORDER BY c.created_at DESC, c.id LIMIT ?`)
      .all(...where.args, q.limit) as DecisionRaw[];
  }
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const outcomes = prep(db, OUTCOMES).all(workspace, ids, workspace, ids) as DecisionOutcomeRaw[];
  return assembleDecisions(rows, outcomes);
}
