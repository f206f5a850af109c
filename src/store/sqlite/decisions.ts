// The workspace's record on SQLite: consultations by topic, user or FTS5 search (bm25-ranked over the
// question and any story that is not private), each row carrying what became of it (record_json). By topic,
// the newest first, it is read from consultation_records (migration 0015), which triggers keep in step with
// consultations: a workspace's decisions on a topic sit together there on a page or two, where the
// consultations table has them scattered among everyone's.
import { assembleDecisions, DECISION_COLUMNS, RECORD_COLUMNS, recordFromRows, searchTerms, type DecisionRaw, type RecordRaw } from '../decisions.js';
import type { Decision, DecisionQuery, RecordQuery, TopicRecord } from '../types.js';
import { prep, type Db } from './database.js';

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
    // By topic from the record's own table (it has every column a decision shows), else from consultations.
    const table = q.topic !== undefined ? 'consultation_records' : 'consultations';
    rows = prep(db, `SELECT ${DECISION_COLUMNS} FROM ${table} c WHERE ${where.sql} ORDER BY c.created_at DESC, c.id LIMIT ?`)
      .all(...where.args, q.limit) as DecisionRaw[];
  }
  return assembleDecisions(rows);
}

/** The latest consultations on a topic, newest first, from the record's table (bind: workspace, topic, before, limit). */
const RECENT = `SELECT ${RECORD_COLUMNS} FROM consultation_records c
  WHERE c.workspace = ? AND c.topic = ? AND c.created_at < ? ORDER BY c.created_at DESC, c.id LIMIT ?`;

/** The record a verdict shows: a narrow index and a page or two of its group, added up as it is parsed (no question, no Decision built). */
export function sqliteTopicRecord(db: Db, workspace: string, q: RecordQuery): TopicRecord {
  return recordFromRows(prep(db, RECENT).all(workspace, q.topic, q.before, q.limit) as RecordRaw[]);
}
