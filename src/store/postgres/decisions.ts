// The workspace's record on PostgreSQL: consultations by topic, user or text search (ts_rank over the
// GIN-indexed question and non-private story), each row carrying what became of it (record_json).
import { assembleDecisions, DECISION_COLUMNS, RECORD_COLUMNS, recordFromRows, searchTerms, type DecisionRaw, type RecordRaw } from '../decisions.js';
import type { Decision, DecisionQuery, RecordQuery, TopicRecord } from '../types.js';
import type { PgDb } from './pool.js';

/** Exactly the indexed expression of migrations/postgres/0002, or the planner cannot use the index. */
const DOCUMENT = `to_tsvector('english', c.question || ' ' || CASE WHEN c.story_private = 0 THEN coalesce(c.story, '') ELSE '' END)`;

function filters(workspace: string, q: DecisionQuery): { sql: string; args: Array<string | number> } {
  const parts = ['c.workspace = $1'];
  const args: Array<string | number> = [workspace];
  const add = (sql: string, value: string | number): void => {
    args.push(value);
    parts.push(`${sql} $${args.length}`);
  };
  if (q.topic !== undefined) add('c.topic =', q.topic);
  if (q.userId !== undefined) add('c.user_id =', q.userId);
  if (q.before !== undefined) add('c.created_at <', q.before);
  return { sql: parts.join(' AND '), args };
}

export async function postgresDecisions(db: PgDb, workspace: string, q: DecisionQuery): Promise<Decision[]> {
  const where = filters(workspace, q);
  let rows: DecisionRaw[];
  if (q.words !== undefined) {
    const terms = searchTerms(q.words);
    if (terms.length === 0) return [];
    const query = `$${where.args.length + 1}`;
    const limit = `$${where.args.length + 2}`;
    // Terms are letters and digits only, so joining them with | is a well-formed tsquery; a term that is
    // only a stop word drops out of it, as it does from the index.
    rows = await db.rows<DecisionRaw>(
      `SELECT ${DECISION_COLUMNS} FROM consultations c, to_tsquery('english', ${query}) q
       WHERE ${where.sql} AND ${DOCUMENT} @@ q
       ORDER BY ts_rank(${DOCUMENT}, q) DESC, c.created_at DESC, c.id LIMIT ${limit}`,
      [...where.args, terms.join(' | '), q.limit],
    );
  } else {
    rows = await db.rows<DecisionRaw>(
      `SELECT ${DECISION_COLUMNS} FROM consultations c WHERE ${where.sql} ORDER BY c.created_at DESC, c.id LIMIT $${where.args.length + 1}`,
      [...where.args, q.limit],
    );
  }
  return assembleDecisions(rows);
}

/** The record a verdict shows: the latest consultations on the topic, added up as they are parsed. */
export async function postgresTopicRecord(db: PgDb, workspace: string, q: RecordQuery): Promise<TopicRecord> {
  const rows = await db.rows<RecordRaw>(
    `SELECT ${RECORD_COLUMNS} FROM consultations c WHERE c.workspace = $1 AND c.topic = $2 AND c.created_at < $3 ORDER BY c.created_at DESC, c.id LIMIT $4`,
    [workspace, q.topic, q.before, q.limit],
  );
  return recordFromRows(rows);
}
