// Consultations and what hangs off them (predictions, estimates, outcomes) on PostgreSQL, with the
// SQLite store's semantics and result order; multi-row statements keep a save to a few round trips.
import type { ConsultationRepo, ConsultationRow, Decision, DecisionQuery, EstimateRow, NewConsultation, OutcomeInput, PredictionRow, RecordQuery, ResolvedEstimate, ResolvedForecast, TopicRecord, WorkspaceTotals } from '../types.js';
import { postgresDecisions, postgresTopicRecord } from './decisions.js';
import { bySavingOrder, consultationChanges, openRecord, outcomeRecord } from '../decisions.js';
import { savedRow, toConsultationRow as toRow, toForecast, type RawConsultation, type RawForecast } from '../rows.js';
import type { Scoring } from '../../accuracy/groups.js';
import { contribution, difference, SCORING_KEY, SCORING_SUMS, scoringMoves, TOTAL_COLUMNS, toScoring, toTotals, withOutcomes, type RawTotals, type ScoringFacts, type ScoringRow } from '../stats.js';
import { valuesList, withTransaction, type PgDb } from './pool.js';

// PostgreSQL folds unquoted names to lower case: the camelCase result names are quoted.
const FORECAST_COLUMNS = `
  SELECT c.id AS "consultationId", p.workspace AS workspace, p.topic AS topic, p.failure_mode AS "failureMode",
         p.probability AS probability, p.model_probability AS "modelProbability",
         p.knowledge_version AS "knowledgeVersion", o.happened AS happened,
         p.created_at AS "createdAt", o.recorded_at AS "recordedAt",
         p.severity AS severity, c.followed_alternative AS "followedAlternative"`;

const ESTIMATE_COLUMNS = `
  SELECT c.id AS "consultationId", c.topic AS topic, e.kind AS kind, e.p10 AS p10, e.p50 AS p50, e.p90 AS p90,
         o.actual_value AS actual, o.recorded_at AS "recordedAt",
         COALESCE(e.model_p10, e.p10) AS "modelP10", COALESCE(e.model_p50, e.p50) AS "modelP50", COALESCE(e.model_p90, e.p90) AS "modelP90"`;

/** Every workspace's resolved rows (the operator's report): joins the planner may hash. */
const RESOLVED_FORECASTS = `${FORECAST_COLUMNS}
  FROM outcomes o
  JOIN predictions p ON p.id = o.prediction_id
  JOIN consultations c ON c.id = p.consultation_id
  WHERE c.not_adopted = 0 AND o.happened IS NOT NULL`;

const RESOLVED_ESTIMATES = `${ESTIMATE_COLUMNS}
  FROM outcomes o
  JOIN estimates e ON e.id = o.estimate_id
  JOIN consultations c ON c.id = e.consultation_id
  WHERE o.actual_value IS NOT NULL AND c.not_adopted = 0`;

// One workspace's resolved rows: its outcomes through their index, then one look-up per row for the
// prediction (or estimate) and the consultation. The LATERAL ... OFFSET 0 keeps that plan: as plain joins,
// a mid-sized database is planned as a full read of estimates or predictions to hash, or a parallel plan
// whose workers cost more to start than the whole query (bench:digest, 1,000,000 predictions: 40-55 ms
// either way, 14 ms as look-ups), and the cost stays with the workspace's own outcomes.
const RESOLVED_FORECASTS_OF_WORKSPACE = `${FORECAST_COLUMNS}
  FROM outcomes o
  CROSS JOIN LATERAL (SELECT * FROM predictions p WHERE p.id = o.prediction_id OFFSET 0) AS p
  CROSS JOIN LATERAL (SELECT c.id, c.followed_alternative FROM consultations c WHERE c.id = p.consultation_id AND c.not_adopted = 0 OFFSET 0) AS c
  WHERE o.workspace = $1 AND o.happened IS NOT NULL`;

const RESOLVED_ESTIMATES_OF_WORKSPACE = `${ESTIMATE_COLUMNS}
  FROM outcomes o
  CROSS JOIN LATERAL (SELECT * FROM estimates e WHERE e.id = o.estimate_id OFFSET 0) AS e
  CROSS JOIN LATERAL (SELECT c.id, c.topic FROM consultations c WHERE c.id = e.consultation_id AND c.not_adopted = 0 OFFSET 0) AS c
  WHERE o.workspace = $1 AND o.actual_value IS NOT NULL`;

/** A new consultation counted into its workspace's totals; the first one (by time, then id) names the platform. */
const countConsultation = (workspace: string, platform: string, at: string, id: string, predictions: string): string => `
  INSERT INTO workspace_stats (workspace, platform, first_at, first_id, consultations, open_predictions) VALUES (${workspace}, ${platform}, ${at}, ${id}, 1, ${predictions})
  ON CONFLICT (workspace) DO UPDATE SET
    consultations = workspace_stats.consultations + 1,
    open_predictions = workspace_stats.open_predictions + excluded.open_predictions,
    platform = CASE WHEN (excluded.first_at, excluded.first_id) < (workspace_stats.first_at, workspace_stats.first_id) THEN excluded.platform ELSE workspace_stats.platform END,
    first_id = CASE WHEN (excluded.first_at, excluded.first_id) < (workspace_stats.first_at, workspace_stats.first_id) THEN excluded.first_id ELSE workspace_stats.first_id END,
    first_at = LEAST(workspace_stats.first_at, excluded.first_at)`;

const MOVE_TOTALS = `UPDATE workspace_stats SET ${TOTAL_COLUMNS.map((c, i) => `${c} = ${c} + $${i + 1}`).join(', ')}, outcome_version = outcome_version + 1 WHERE workspace = $${TOTAL_COLUMNS.length + 1}`;

export class PostgresConsultations implements ConsultationRepo {
  constructor(private readonly db: PgDb) {}

  /**
   * Saves the consultation, its predictions, estimates and check-in job, and counts it into the workspace's
   * totals: one statement (data-modifying CTEs), so one round trip and one commit. The foreign keys are
   * checked at the end of the statement, when the consultation row is there.
   */
  async save(c: NewConsultation): Promise<ConsultationRow> {
    const values: unknown[] = [];
    const $ = (value: unknown): string => `$${values.push(value)}`;
    const tuple = (cells: unknown[]): string => `(${cells.map($).join(', ')})`;
    const parts = [
      `INSERT INTO consultations (id, workspace, platform, channel, user_id, question, topic, knowledge_version,
         answers_json, verdict, risk_score, assessment_json, created_at, check_in_at, source_url, history_json, record_json)
       VALUES ${tuple([c.id, c.workspace, c.platform, c.channel, c.userId, c.question, c.topic, c.knowledgeVersion,
         JSON.stringify(c.answers), c.verdict, c.riskScore, JSON.stringify(c.assessment), c.createdAt, c.checkInAt,
         c.sourceUrl ?? null, c.history === undefined || c.history === null ? null : JSON.stringify(c.history), openRecord(c)])}`,
    ];
    // Rows of one VALUES list take their ids in list order, as SQLite's inserts one by one do.
    if (c.predictions.length > 0) {
      parts.push(`INSERT INTO predictions (consultation_id, workspace, topic, failure_mode, probability, model_probability,
         horizon_months, knowledge_version, created_at, severity)
       VALUES ${c.predictions.map((p) => tuple([c.id, c.workspace, c.topic, p.failureMode, p.probability, p.modelProbability, p.horizonMonths, c.knowledgeVersion, c.createdAt, p.severity ?? null])).join(', ')}`);
    }
    if (c.estimates.length > 0) {
      parts.push(`INSERT INTO estimates (consultation_id, workspace, kind, p10, p50, p90, unit, model_p10, model_p50, model_p90)
       VALUES ${c.estimates.map((e) => tuple([c.id, c.workspace, e.kind, e.p10, e.p50, e.p90, e.unit, (e.model ?? e).p10, (e.model ?? e).p50, (e.model ?? e).p90])).join(', ')}`);
    }
    parts.push(`INSERT INTO scheduled_jobs (workspace, kind, job_key, due_at, payload_json, created_at)
       VALUES ${tuple([c.workspace, 'check-in', `check-in:${c.id}`, c.checkInAt, JSON.stringify({ consultationId: c.id }), c.createdAt])}
       ON CONFLICT (job_key) DO NOTHING`);
    const count = countConsultation($(c.workspace), $(c.platform), $(c.createdAt), $(c.id), $(c.predictions.length));
    await this.db.run(`WITH ${parts.map((sql, i) => `s${i} AS (${sql})`).join(',\n')}\n${count}`, values);
    return savedRow(c);
  }

  async get(workspace: string, id: string): Promise<ConsultationRow | undefined> {
    const raw = await this.db.one<RawConsultation>('SELECT * FROM consultations WHERE workspace = $1 AND id = $2', [workspace, id]);
    return raw && toRow(raw);
  }

  /** Operator view (the CLI): finds a consultation in any workspace. */
  async getForOperator(id: string): Promise<ConsultationRow | undefined> {
    const raw = await this.db.one<RawConsultation>('SELECT * FROM consultations WHERE id = $1', [id]);
    return raw && toRow(raw);
  }

  async listForUser(workspace: string, userId: string, limit: number): Promise<ConsultationRow[]> {
    const rows = await this.db.rows<RawConsultation>('SELECT * FROM consultations WHERE workspace = $1 AND user_id = $2 ORDER BY created_at DESC, id LIMIT $3', [workspace, userId, limit]);
    return rows.map(toRow);
  }

  /** Operator view (the CLI): every workspace unless one is named. */
  async listForOperator(options: { workspace?: string; limit: number }): Promise<ConsultationRow[]> {
    const rows = options.workspace
      ? await this.db.rows<RawConsultation>('SELECT * FROM consultations WHERE workspace = $1 ORDER BY created_at DESC, id LIMIT $2', [options.workspace, options.limit])
      : await this.db.rows<RawConsultation>('SELECT * FROM consultations ORDER BY created_at DESC, id LIMIT $1', [options.limit]);
    return rows.map(toRow);
  }

  async countSince(workspace: string, since: number): Promise<Array<{ topic: string; count: number }>> {
    return this.db.rows<{ topic: string; count: number }>(
      'SELECT topic, COUNT(*) AS count FROM consultations WHERE workspace = $1 AND created_at >= $2 GROUP BY topic ORDER BY count DESC, topic',
      [workspace, since],
    );
  }

  async predictions(workspace: string, consultationId: string): Promise<PredictionRow[]> {
    const rows = await this.db.rows<Omit<PredictionRow, 'happened' | 'applicable'> & { happened: number | null; notAdopted: number }>(
      `SELECT p.id, p.failure_mode AS "failureMode", p.probability, p.model_probability AS "modelProbability",
              p.horizon_months AS "horizonMonths", o.happened, c.not_adopted AS "notAdopted"
       FROM predictions p JOIN consultations c ON c.id = p.consultation_id
       LEFT JOIN outcomes o ON o.prediction_id = p.id
       WHERE p.workspace = $1 AND p.consultation_id = $2 ORDER BY p.probability DESC, p.id`,
      [workspace, consultationId],
    );
    return rows.map(({ notAdopted, happened, ...r }) => ({ ...r, happened: happened === null ? null : happened === 1, applicable: notAdopted === 0 }));
  }

  async estimates(workspace: string, consultationId: string): Promise<EstimateRow[]> {
    return this.db.rows<EstimateRow>(
      `SELECT e.id, e.kind, e.p10, e.p50, e.p90, e.unit, o.actual_value AS actual
       FROM estimates e LEFT JOIN outcomes o ON o.estimate_id = e.id
       WHERE e.workspace = $1 AND e.consultation_id = $2 ORDER BY e.kind`,
      [workspace, consultationId],
    );
  }

  /** Records what happened; a later answer for the same prediction replaces the earlier one. */
  async recordOutcomes(workspace: string, consultationId: string, input: OutcomeInput, recordedBy: string, recordedAt: number): Promise<void> {
    await withTransaction(this.db, async (tx) => {
      // The consultation's row lock orders concurrent answers for it: each moves the totals by the
      // difference it makes to what the one before it left.
      const adoption = await tx.one<ScoringFacts>(
        'SELECT not_adopted, topic, knowledge_version, followed_alternative FROM consultations WHERE workspace = $1 AND id = $2 FOR UPDATE',
        [workspace, consultationId],
      );
      if (!adoption) return;
      const predictions = await tx.rows<{ id: number; failure_mode: string; probability: number; severity: string | null; happened: 0 | 1 | null }>(
        `SELECT p.id, p.failure_mode, p.probability, p.severity, o.happened FROM predictions p LEFT JOIN outcomes o ON o.prediction_id = p.id
         WHERE p.workspace = $1 AND p.consultation_id = $2`,
        [workspace, consultationId],
      );
      const estimates = await tx.rows<{ id: number; kind: 'cost' | 'time'; p10: number; p50: number; p90: number; actual: number | null }>(
        `SELECT e.id, e.kind, e.p10, e.p50, e.p90, o.actual_value AS actual FROM estimates e LEFT JOIN outcomes o ON o.estimate_id = e.id
         WHERE e.workspace = $1 AND e.consultation_id = $2`,
        [workspace, consultationId],
      );
      const before = { notAdopted: adoption.not_adopted === 1, predictions: predictions.map((p) => ({ ...p, failureMode: p.failure_mode })), estimates };
      const cleared: number[] = [];
      const answered: Array<[number, 0 | 1]> = [];
      for (const p of predictions) {
        const happened = input.failureModes[p.failure_mode];
        if (happened === undefined) continue;
        // "Too early to say" takes back an earlier answer: the prediction is open again.
        if (happened === null) cleared.push(p.id);
        else answered.push([p.id, happened ? 1 : 0]);
      }
      if (cleared.length > 0) await tx.run('DELETE FROM outcomes WHERE workspace = $1 AND prediction_id = ANY($2::bigint[])', [workspace, cleared]);
      if (answered.length > 0) {
        await tx.run(
          `INSERT INTO outcomes (workspace, prediction_id, happened, recorded_by, recorded_at) VALUES ${valuesList(answered.length, 5)}
           ON CONFLICT (prediction_id) DO UPDATE SET happened = excluded.happened, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
          answered.flatMap(([id, happened]) => [workspace, id, happened, recordedBy, recordedAt]),
        );
      }
      const actuals: Array<[number, number]> = [];
      for (const e of estimates) {
        const actual = e.kind === 'cost' ? input.actualCost : input.actualMonths;
        if (actual === undefined || actual === null) continue;
        actuals.push([e.id, actual]);
      }
      if (actuals.length > 0) {
        await tx.run(
          `INSERT INTO outcomes (workspace, estimate_id, actual_value, recorded_by, recorded_at) VALUES ${valuesList(actuals.length, 5)}
           ON CONFLICT (estimate_id) DO UPDATE SET actual_value = excluded.actual_value, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
          actuals.flatMap(([id, actual]) => [workspace, id, actual, recordedBy, recordedAt]),
        );
      }
      const after = withOutcomes(before, input);
      const changes = consultationChanges(input, outcomeRecord(bySavingOrder(after.predictions), bySavingOrder(after.estimates)), recordedBy, recordedAt);
      await tx.run(`UPDATE consultations SET ${changes.map(([c], i) => `${c} = $${i + 1}`).join(', ')} WHERE workspace = $${changes.length + 1} AND id = $${changes.length + 2}`,
        [...changes.map(([, v]) => v), workspace, consultationId]);
      const delta = difference(contribution(after), contribution(before));
      await tx.run(MOVE_TOTALS, [...TOTAL_COLUMNS.map((c) => delta[c]), workspace]);
      const moves = scoringMoves(consultationId, adoption, before, after, input.followedAlternative);
      if (moves.length > 0) {
        const columns = [...SCORING_KEY, ...SCORING_SUMS];
        await tx.run(
          `INSERT INTO scoring_groups (workspace, ${columns.join(', ')}) VALUES ${valuesList(moves.length, columns.length + 1)}
           ON CONFLICT (workspace, ${SCORING_KEY.join(', ')}) DO UPDATE SET ${SCORING_SUMS.map((c) => `${c} = scoring_groups.${c} + excluded.${c}`).join(', ')}`,
          moves.flatMap((row) => [workspace, ...columns.map((c) => row[c])]),
        );
        if (moves.some((row) => row.n < 0)) await tx.run('DELETE FROM scoring_groups WHERE workspace = $1 AND n = 0', [workspace]);
      }
    });
  }

  async resolvedForecasts(workspace: string, options: { since?: number; until?: number } = {}): Promise<ResolvedForecast[]> {
    const rows = await this.db.rows<RawForecast>(
      `${RESOLVED_FORECASTS_OF_WORKSPACE} AND o.recorded_at BETWEEN $2 AND $3 ORDER BY o.recorded_at, p.id`,
      [workspace, options.since ?? Number.MIN_SAFE_INTEGER, options.until ?? Number.MAX_SAFE_INTEGER],
    );
    return rows.map(toForecast);
  }

  async scoring(workspace: string): Promise<Scoring> {
    return toScoring(await this.db.rows<ScoringRow>(`SELECT ${SCORING_KEY.join(', ')}, ${SCORING_SUMS.join(', ')} FROM scoring_groups WHERE workspace = $1`, [workspace]));
  }

  /** Operator view: resolved forecasts of every workspace, or of one. */
  async resolvedForecastsForOperator(workspace?: string): Promise<ResolvedForecast[]> {
    const rows = workspace
      ? await this.db.rows<RawForecast>(`${RESOLVED_FORECASTS_OF_WORKSPACE} ORDER BY o.recorded_at, p.id`, [workspace])
      : await this.db.rows<RawForecast>(`${RESOLVED_FORECASTS} ORDER BY o.recorded_at, p.id`);
    return rows.map(toForecast);
  }

  async resolvedEstimates(workspace: string): Promise<ResolvedEstimate[]> {
    return this.db.rows<ResolvedEstimate>(`${RESOLVED_ESTIMATES_OF_WORKSPACE} ORDER BY o.recorded_at`, [workspace]);
  }

  async resolvedEstimatesForOperator(workspace?: string): Promise<ResolvedEstimate[]> {
    return workspace
      ? this.db.rows<ResolvedEstimate>(`${RESOLVED_ESTIMATES_OF_WORKSPACE} ORDER BY o.recorded_at`, [workspace])
      : this.db.rows<ResolvedEstimate>(`${RESOLVED_ESTIMATES} ORDER BY o.recorded_at`);
  }

  /** Changes whenever an outcome in the workspace is recorded or replaced: a counter in its totals row. */
  async outcomeVersion(workspace: string): Promise<string> {
    return String((await this.totals(workspace)).outcomeVersion);
  }

  async countOpenPredictions(workspace: string): Promise<number> {
    return (await this.totals(workspace)).openPredictions;
  }

  /** The workspace's running totals, one row however large its history; zeros before its first consultation. */
  async totals(workspace: string): Promise<WorkspaceTotals> {
    return toTotals(await this.db.one<RawTotals>('SELECT * FROM workspace_stats WHERE workspace = $1', [workspace]));
  }

  async learnedCalibration(workspace: string): Promise<{ outcomeVersion: string; model: string } | undefined> {
    const r = await this.db.one<{ outcome_version: string; model_json: string }>('SELECT outcome_version, model_json FROM workspace_calibration WHERE workspace = $1', [workspace]);
    return r && { outcomeVersion: r.outcome_version, model: r.model_json };
  }

  async saveLearnedCalibration(workspace: string, outcomeVersion: string, model: string, now: number): Promise<void> {
    await this.db.run(
      `INSERT INTO workspace_calibration (workspace, outcome_version, model_json, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace) DO UPDATE SET outcome_version = excluded.outcome_version, model_json = excluded.model_json, updated_at = excluded.updated_at`,
      [workspace, outcomeVersion, model, now],
    );
  }

  /** Operator/metrics view: open predictions over every workspace (a sum over one row per workspace). */
  async countOpenPredictionsForOperator(): Promise<number> {
    return (await this.db.one<{ n: number }>('SELECT COALESCE(SUM(open_predictions), 0) AS n FROM workspace_stats'))?.n ?? 0;
  }

  /** Operator/metrics view: Brier score over every resolved prediction, null before the first. */
  async brierForOperator(): Promise<number | null> {
    const r = await this.db.one<{ se: number | null; n: number | null }>('SELECT SUM(squared_error) AS se, SUM(resolved) AS n FROM workspace_stats');
    return r?.n ? r.se! / r.n : null;
  }

  async decisions(workspace: string, query: DecisionQuery): Promise<Decision[]> {
    return postgresDecisions(this.db, workspace, query);
  }

  async record(workspace: string, query: RecordQuery): Promise<TopicRecord> {
    return postgresTopicRecord(this.db, workspace, query);
  }

  async setVerdictUrl(workspace: string, id: string, url: string): Promise<boolean> {
    return (await this.db.run('UPDATE consultations SET verdict_url = $1 WHERE workspace = $2 AND id = $3', [url, workspace, id])) > 0;
  }

  async setCheckIn(workspace: string, id: string, at: number): Promise<boolean> {
    return withTransaction(this.db, async (tx) => {
      const changed = await tx.run('UPDATE consultations SET check_in_at = $1 WHERE workspace = $2 AND id = $3', [at, workspace, id]);
      if (changed === 0) return false;
      await tx.run(
        `UPDATE scheduled_jobs SET due_at = $1, done_at = NULL, attempts = 0, lease_until = NULL, last_error = NULL
         WHERE workspace = $2 AND job_key = $3`,
        [at, workspace, `check-in:${id}`],
      );
      // A reminder belongs to the check-in it follows; the moved check-in will queue a fresh one.
      await tx.run('DELETE FROM scheduled_jobs WHERE workspace = $1 AND job_key = $2', [workspace, `check-in-reminder:${id}`]);
      return true;
    });
  }
}
