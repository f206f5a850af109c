// The workspace's record on PostgreSQL: consultations by topic, user or text search (ts_rank over the
// GIN-indexed question and non-private story), each row carrying what became of it (record_json).
import { assembleDecisions, DECISION_COLUMNS, recordFromRows, searchTerms, type DecisionRaw, type RecordRaw } from '../decisions.js';
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

/**
 * The record a verdict shows: the latest consultations on the topic, added up as they are parsed. The
 * rows come from the covering index alone (migration 0012: an index-only scan, one or two leaf pages per
 * workspace and topic); only a row with a story goes to the table, for the story and the link it quotes.
 * `OFFSET 0` keeps the lateral subquery whole, so its test of the outer row is a one-time filter that skips
 * the table (flattened, the planner fetched every row and filtered after).
 */
const RECORD = `SELECT c.id, c.platform, c.user_id, c.verdict, c.created_at, c.not_adopted, c.story_at, c.record_json,
    s.story_text, s.story_private, s.story_by, s.story_author, s.link
  FROM (SELECT id, platform, user_id, verdict, created_at, not_adopted, story_at, record_json FROM consultations
        WHERE workspace = $1 AND topic = $2 AND created_at < $3 ORDER BY created_at DESC, id LIMIT $4) c
  LEFT JOIN LATERAL (
    SELECT CASE WHEN x.story_private = 0 THEN x.story END AS story_text, x.story_private, x.story_by, x.story_author,
      coalesce(x.verdict_url, x.source_url) AS link
    FROM consultations x WHERE c.story_at IS NOT NULL AND x.id = c.id OFFSET 0
  ) s ON true
  ORDER BY c.created_at DESC, c.id`;

export async function postgresTopicRecord(db: PgDb, workspace: string, q: RecordQuery): Promise<TopicRecord> {
  // A row without a story has nothing from the join (story_at null: no story, no link).
  return recordFromRows(await db.rows<RecordRaw>(RECORD, [workspace, q.topic, q.before, q.limit]));
}
