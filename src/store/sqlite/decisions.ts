// The workspace's record on SQLite: consultations by topic, user or FTS5 search (bm25-ranked over the
// question and any story that is not private), each row carrying what became of it (record_json). By topic,
// the newest first, it is read from one index alone (consultations_record, migration 0013): a workspace's
// decisions on a topic sit together there, where the table has them scattered among everyone's.
import { assembleDecisions, DECISION_COLUMNS, pastStory, searchTerms, type DecisionRaw, type StoryRaw } from '../decisions.js';
import type { Decision, DecisionQuery, Platform, RecordQuery, TopicRecord } from '../types.js';
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
    rows = prep(db, `SELECT ${DECISION_COLUMNS} FROM consultations c WHERE ${where.sql} ORDER BY c.created_at DESC, c.id LIMIT ?`)
      .all(...where.args, q.limit) as DecisionRaw[];
  }
  return assembleDecisions(rows);
}

/** The latest consultations on a topic, newest first, from the record's covering index (bind: workspace, topic, before, limit). */
const RECENT = `SELECT c.id, c.platform, c.user_id, c.verdict, c.created_at, c.not_adopted,
    CASE WHEN c.story_private = 0 THEN c.story END AS story_text, c.story_private, c.story_by, c.story_author, c.story_at,
    coalesce(c.verdict_url, c.source_url) AS link, c.record_json
  FROM consultations c WHERE c.workspace = ? AND c.topic = ? AND c.created_at < ? ORDER BY c.created_at DESC, c.id LIMIT ?`;

/** Each of them, with whether its outcome record has any answer (an answered failure mode or an actual). */
const ENTRIES = `SELECT r.id, r.platform, r.user_id, r.verdict, r.created_at, r.not_adopted, r.story_text, r.story_private, r.story_by,
    r.story_author, r.story_at, r.link,
    EXISTS (SELECT 1 FROM json_each(r.record_json, '$.f') AS f WHERE f.value ->> 1 IS NOT NULL)
      OR EXISTS (SELECT 1 FROM json_each(r.record_json, '$.e') AS e WHERE e.value ->> 2 IS NOT NULL) AS answered
  FROM (${RECENT}) AS r ORDER BY r.created_at DESC, r.id`;

/** The adopted ones' outcome records added up: per failure mode answered (f), per estimate with an actual (e). */
const SUMS = `WITH r AS (${RECENT})
  SELECT 'f' AS part, f.value ->> 0 AS key, count(f.value ->> 1) AS resolved, total(f.value ->> 1) AS value
    FROM r, json_each(r.record_json, '$.f') AS f WHERE r.not_adopted = 0 GROUP BY f.value ->> 0 HAVING count(f.value ->> 1) > 0
  UNION ALL
  SELECT 'e', e.value ->> 0, 0, (e.value ->> 2) * 1.0 / (e.value ->> 1)
    FROM r, json_each(r.record_json, '$.e') AS e WHERE r.not_adopted = 0 AND e.value ->> 2 IS NOT NULL AND e.value ->> 1 > 0`;

type EntryRaw = StoryRaw & { id: string; platform: Platform; user_id: string; verdict: string; created_at: number; not_adopted: number; link: string | null; answered: number };

/**
 * The record a verdict shows, added up by SQLite's JSON functions from the same index entries the decisions
 * are read from: the app gets one row per past decision and per failure mode, never a parsed outcome record
 * (bench:scale: ~4 KB of garbage per past decision, up to 50 per verdict).
 */
export function sqliteTopicRecord(db: Db, workspace: string, q: RecordQuery): TopicRecord {
  const args = [workspace, q.topic, q.before, q.limit];
  const rows = prep(db, ENTRIES).all(...args) as EntryRaw[];
  if (rows.length === 0) return { decisions: [], failureModes: [], ratios: [] };
  const decisions = rows.map((r) => ({
    id: r.id, platform: r.platform, userId: r.user_id, verdict: r.verdict, createdAt: r.created_at, notAdopted: r.not_adopted === 1,
    story: pastStory(r), link: r.link, answered: r.answered === 1,
  }));
  const failureModes: TopicRecord['failureModes'] = [];
  const ratios: TopicRecord['ratios'] = [];
  for (const s of prep(db, SUMS).all(...args) as Array<{ part: 'f' | 'e'; key: string; resolved: number; value: number }>) {
    if (s.part === 'f') failureModes.push({ id: s.key, resolved: s.resolved, happened: s.value });
    else ratios.push({ kind: s.key as 'cost' | 'time', ratio: s.value });
  }
  return { decisions, failureModes, ratios };
}
