// The workspace's record on PostgreSQL: consultations by topic, user or text search (ts_rank over the
// GIN-indexed question and non-private story), then their outcomes in one more query.
import { assembleDecisions, DECISION_COLUMNS, searchTerms, type DecisionOutcomeRaw, type DecisionRaw } from '../decisions.js';
import type { Decision, DecisionQuery } from '../types.js';
import type { PgDb } from './pool.js';

/** Exactly the indexed expression of migrations/postgres/0002, or the planner cannot use the index. */
const DOCUMENT = `to_tsvector('english', c.question || ' ' || CASE WHEN c.story_private = 0 THEN coalesce(c.story, '') ELSE '' END)`;

// By consultation id alone: the ids are the workspace's own (the first query chose them under its
// workspace condition, and an id is unique across workspaces). A workspace condition here would have the
// planner AND in the workspace's index, a read of every prediction in it (bench:engines found that growing).
// Each outcome is a subquery, looked up per row: as a join, a small database can plan it as a read of the
// whole outcomes table.
const OUTCOMES = `
  SELECT p.consultation_id AS cid, 'fm' AS kind, p.failure_mode AS name,
         (SELECT o.happened FROM outcomes o WHERE o.prediction_id = p.id) AS happened,
         NULL::double precision AS p50, NULL::double precision AS actual, p.id AS ord
  FROM predictions p
  WHERE p.consultation_id = ANY($1::text[])
  UNION ALL
  SELECT e.consultation_id, e.kind, NULL, NULL, e.p50, (SELECT o.actual_value FROM outcomes o WHERE o.estimate_id = e.id), e.id
  FROM estimates e
  WHERE e.consultation_id = ANY($1::text[])
  ORDER BY 7`;

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
  if (rows.length === 0) return [];
  const outcomes = await db.rows<DecisionOutcomeRaw>(OUTCOMES, [rows.map((r) => r.id)]);
  return assembleDecisions(rows, outcomes);
}
