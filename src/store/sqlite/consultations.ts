// Consultations and what hangs off them: their predictions, cost/time estimates and outcomes.
// Every method takes the workspace; the operator-only methods say so in their names.
import type { Scoring } from '../../accuracy/groups.js';
import type { ConsultationRepo, ConsultationRow, Decision, DecisionQuery, EstimateRow, NewConsultation, OutcomeInput, PredictionRow, RecordQuery, ResolvedEstimate, ResolvedForecast, TopicRecord, WorkspaceTotals } from '../types.js';
import { savedRow, toConsultationRow as toRow, toForecast, type RawConsultation, type RawForecast } from '../rows.js';
import { contribution, difference, SCORING_KEY, SCORING_SUMS, scoringMoves, TOTAL_COLUMNS, toScoring, toTotals, withOutcomes, type RawTotals, type ScoringFacts, type ScoringRow } from '../stats.js';
import { prep, type Db } from './database.js';
import { sqliteDecisions, sqliteTopicRecord } from './decisions.js';
import { bySavingOrder, consultationChanges, openRecord, outcomeRecord } from '../decisions.js';

const RESOLVED_FORECASTS = `
  SELECT c.id AS consultationId, p.workspace AS workspace, p.topic AS topic, p.failure_mode AS failureMode,
         p.probability AS probability, p.model_probability AS modelProbability,
         p.knowledge_version AS knowledgeVersion, o.happened AS happened,
         p.created_at AS createdAt, o.recorded_at AS recordedAt,
         p.severity AS severity, c.followed_alternative AS followedAlternative
  FROM outcomes o
  JOIN predictions p ON p.id = o.prediction_id
  JOIN consultations c ON c.id = p.consultation_id
  WHERE c.not_adopted = 0 AND o.happened IS NOT NULL`;

const RESOLVED_ESTIMATES = `
  SELECT c.id AS consultationId, c.topic AS topic, e.kind AS kind, e.p10 AS p10, e.p50 AS p50, e.p90 AS p90,
         o.actual_value AS actual, o.recorded_at AS recordedAt,
         COALESCE(e.model_p10, e.p10) AS modelP10, COALESCE(e.model_p50, e.p50) AS modelP50, COALESCE(e.model_p90, e.p90) AS modelP90
  FROM outcomes o
  JOIN estimates e ON e.id = o.estimate_id
  JOIN consultations c ON c.id = e.consultation_id
  WHERE o.actual_value IS NOT NULL AND c.not_adopted = 0`;

/** A new consultation counted into its workspace's totals; the first one (by time, then id) names the platform. */
const COUNT_CONSULTATION = `
  INSERT INTO workspace_stats (workspace, platform, first_at, first_id, consultations, open_predictions) VALUES (?, ?, ?, ?, 1, ?)
  ON CONFLICT (workspace) DO UPDATE SET
    consultations = workspace_stats.consultations + 1,
    open_predictions = workspace_stats.open_predictions + excluded.open_predictions,
    platform = CASE WHEN (excluded.first_at, excluded.first_id) < (workspace_stats.first_at, workspace_stats.first_id) THEN excluded.platform ELSE workspace_stats.platform END,
    first_id = CASE WHEN (excluded.first_at, excluded.first_id) < (workspace_stats.first_at, workspace_stats.first_id) THEN excluded.first_id ELSE workspace_stats.first_id END,
    first_at = MIN(workspace_stats.first_at, excluded.first_at)`;

const MOVE_TOTALS = `UPDATE workspace_stats SET ${TOTAL_COLUMNS.map((c) => `${c} = ${c} + ?`).join(', ')}, outcome_version = outcome_version + 1 WHERE workspace = ?`;

type RawPrediction = Omit<PredictionRow, 'happened' | 'applicable'> & { happened: number | null; notAdopted: number; severity: string | null };

const MOVE_SCORING = `INSERT INTO scoring_groups (workspace, ${SCORING_KEY.join(', ')}, ${SCORING_SUMS.join(', ')})
  VALUES (?, ${[...SCORING_KEY, ...SCORING_SUMS].map(() => '?').join(', ')})
  ON CONFLICT (workspace, ${SCORING_KEY.join(', ')}) DO UPDATE SET ${SCORING_SUMS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;
const DROP_EMPTY_SCORING = `DELETE FROM scoring_groups WHERE workspace = ? AND ${SCORING_KEY.map((k) => `${k} = ?`).join(' AND ')} AND n = 0`;

export class SqliteConsultations implements ConsultationRepo {
  constructor(private readonly db: Db) {}

  /** Saves the consultation, its predictions, estimates and check-in job in one transaction. */
  async save(c: NewConsultation): Promise<ConsultationRow> {
    const db = this.db;
    db.transaction(() => {
      prep(db, 
        `INSERT INTO consultations (id, workspace, platform, channel, user_id, question, topic, knowledge_version,
           answers_json, verdict, risk_score, assessment_json, created_at, check_in_at, source_url, history_json, record_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(c.id, c.workspace, c.platform, c.channel, c.userId, c.question, c.topic, c.knowledgeVersion,
        JSON.stringify(c.answers), c.verdict, c.riskScore, JSON.stringify(c.assessment), c.createdAt, c.checkInAt,
        c.sourceUrl ?? null, c.history === undefined || c.history === null ? null : JSON.stringify(c.history), openRecord(c));
      const prediction = prep(db, 
        `INSERT INTO predictions (consultation_id, workspace, topic, failure_mode, probability, model_probability,
           horizon_months, knowledge_version, created_at, severity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const p of c.predictions) {
        prediction.run(c.id, c.workspace, c.topic, p.failureMode, p.probability, p.modelProbability, p.horizonMonths, c.knowledgeVersion, c.createdAt, p.severity ?? null);
      }
      const estimate = prep(db, 
        'INSERT INTO estimates (consultation_id, workspace, kind, p10, p50, p90, unit, model_p10, model_p50, model_p90) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const e of c.estimates) {
        const model = e.model ?? e;
        estimate.run(c.id, c.workspace, e.kind, e.p10, e.p50, e.p90, e.unit, model.p10, model.p50, model.p90);
      }
      prep(db, 
        `INSERT INTO scheduled_jobs (workspace, kind, job_key, due_at, payload_json, created_at)
         VALUES (?, 'check-in', ?, ?, ?, ?) ON CONFLICT (job_key) DO NOTHING`,
      ).run(c.workspace, `check-in:${c.id}`, c.checkInAt, JSON.stringify({ consultationId: c.id }), c.createdAt);
      prep(db, COUNT_CONSULTATION).run(c.workspace, c.platform, c.createdAt, c.id, c.predictions.length);
    })();
    return savedRow(c);
  }

  async get(workspace: string, id: string): Promise<ConsultationRow | undefined> {
    const raw = prep(this.db, 'SELECT * FROM consultations WHERE workspace = ? AND id = ?').get(workspace, id) as RawConsultation | undefined;
    return raw && toRow(raw);
  }

  /** Operator view (the CLI): finds a consultation in any workspace. */
  async getForOperator(id: string): Promise<ConsultationRow | undefined> {
    const raw = prep(this.db, 'SELECT * FROM consultations WHERE id = ?').get(id) as RawConsultation | undefined;
    return raw && toRow(raw);
  }

  async listForUser(workspace: string, userId: string, limit: number): Promise<ConsultationRow[]> {
    const rows = prep(this.db, 'SELECT * FROM consultations WHERE workspace = ? AND user_id = ? ORDER BY created_at DESC, id LIMIT ?')
      .all(workspace, userId, limit) as RawConsultation[];
    return rows.map(toRow);
  }

  /** Operator view (the CLI): every workspace unless one is named. */
  async listForOperator(options: { workspace?: string; limit: number }): Promise<ConsultationRow[]> {
    const rows = (options.workspace
      ? prep(this.db, 'SELECT * FROM consultations WHERE workspace = ? ORDER BY created_at DESC, id LIMIT ?').all(options.workspace, options.limit)
      : prep(this.db, 'SELECT * FROM consultations ORDER BY created_at DESC, id LIMIT ?').all(options.limit)) as RawConsultation[];
    return rows.map(toRow);
  }

  async countSince(workspace: string, since: number): Promise<Array<{ topic: string; count: number }>> {
    return prep(this.db, 'SELECT topic, COUNT(*) AS count FROM consultations WHERE workspace = ? AND created_at >= ? GROUP BY topic ORDER BY count DESC, topic')
      .all(workspace, since) as Array<{ topic: string; count: number }>;
  }

  async predictions(workspace: string, consultationId: string): Promise<PredictionRow[]> {
    return this.rawPredictions(workspace, consultationId).map(({ notAdopted, happened, severity: _severity, ...r }) => ({ ...r, happened: happened === null ? null : happened === 1, applicable: notAdopted === 0 }));
  }

  private rawPredictions(workspace: string, consultationId: string): RawPrediction[] {
    return prep(this.db, 
        `SELECT p.id, p.failure_mode AS failureMode, p.probability, p.model_probability AS modelProbability,
                p.horizon_months AS horizonMonths, o.happened, c.not_adopted AS notAdopted, p.severity
         FROM predictions p JOIN consultations c ON c.id = p.consultation_id
         LEFT JOIN outcomes o ON o.prediction_id = p.id
         WHERE p.workspace = ? AND p.consultation_id = ? ORDER BY p.probability DESC, p.id`,
      )
      .all(workspace, consultationId) as RawPrediction[];
  }

  async estimates(workspace: string, consultationId: string): Promise<EstimateRow[]> {
    return this.rawEstimates(workspace, consultationId);
  }

  private rawEstimates(workspace: string, consultationId: string): EstimateRow[] {
    return prep(this.db, 
        `SELECT e.id, e.kind, e.p10, e.p50, e.p90, e.unit, o.actual_value AS actual
         FROM estimates e LEFT JOIN outcomes o ON o.estimate_id = e.id
         WHERE e.workspace = ? AND e.consultation_id = ? ORDER BY e.kind`,
      )
      .all(workspace, consultationId) as EstimateRow[];
  }

  /** Records what happened; a later answer for the same prediction replaces the earlier one. */
  async recordOutcomes(workspace: string, consultationId: string, input: OutcomeInput, recordedBy: string, recordedAt: number): Promise<void> {
    const db = this.db;
    db.transaction(() => {
      // Read inside the transaction: the totals move by the difference this write makes to what is stored.
      const adoption = prep(db, 'SELECT not_adopted, topic, knowledge_version, followed_alternative FROM consultations WHERE workspace = ? AND id = ?')
        .get(workspace, consultationId) as ScoringFacts | undefined;
      if (!adoption) return;
      const predictions = this.rawPredictions(workspace, consultationId);
      const estimates = this.rawEstimates(workspace, consultationId);
      const before = { notAdopted: adoption.not_adopted === 1, predictions: predictions.map((p) => ({ ...p, happened: p.happened as 0 | 1 | null })), estimates };
      const after = withOutcomes(before, input);
      const changes = consultationChanges(input, outcomeRecord(bySavingOrder(after.predictions), bySavingOrder(after.estimates)), recordedBy, recordedAt);
      prep(db, `UPDATE consultations SET ${changes.map(([c]) => `${c} = ?`).join(', ')} WHERE workspace = ? AND id = ?`)
        .run(...changes.map(([, v]) => v), workspace, consultationId);
      const upsertPrediction = prep(db, 
        `INSERT INTO outcomes (workspace, prediction_id, happened, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (prediction_id) DO UPDATE SET happened = excluded.happened, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
      );
      const clear = prep(db, 'DELETE FROM outcomes WHERE workspace = ? AND prediction_id = ?');
      for (const p of predictions) {
        const happened = input.failureModes[p.failureMode];
        if (happened === undefined) continue;
        // "Too early to say" takes back an earlier answer: the prediction is open again.
        if (happened === null) {
          clear.run(workspace, p.id);
          continue;
        }
        upsertPrediction.run(workspace, p.id, happened ? 1 : 0, recordedBy, recordedAt);
      }
      const upsertEstimate = prep(db, 
        `INSERT INTO outcomes (workspace, estimate_id, actual_value, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (estimate_id) DO UPDATE SET actual_value = excluded.actual_value, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at`,
      );
      for (const e of estimates) {
        const actual = e.kind === 'cost' ? input.actualCost : input.actualMonths;
        if (actual === undefined || actual === null) continue;
        upsertEstimate.run(workspace, e.id, actual, recordedBy, recordedAt);
      }
      const delta = difference(contribution(after), contribution(before));
      prep(db, MOVE_TOTALS).run(...TOTAL_COLUMNS.map((c) => delta[c]), workspace);
      for (const row of scoringMoves(consultationId, adoption, before, after, input.followedAlternative)) {
        prep(db, MOVE_SCORING).run(workspace, ...SCORING_KEY.map((k) => row[k]), ...SCORING_SUMS.map((k) => row[k]));
        if (row.n < 0) prep(db, DROP_EMPTY_SCORING).run(workspace, ...SCORING_KEY.map((k) => row[k]));
      }
    })();
  }

  async resolvedForecasts(workspace: string, options: { since?: number; until?: number } = {}): Promise<ResolvedForecast[]> {
    return (prep(this.db, `${RESOLVED_FORECASTS} AND o.workspace = ? AND o.recorded_at BETWEEN ? AND ? ORDER BY o.recorded_at, p.id`)
      .all(workspace, options.since ?? Number.MIN_SAFE_INTEGER, options.until ?? Number.MAX_SAFE_INTEGER) as RawForecast[]).map(toForecast);
  }

  async scoring(workspace: string): Promise<Scoring> {
    return toScoring(prep(this.db, `SELECT ${SCORING_KEY.join(', ')}, ${SCORING_SUMS.join(', ')} FROM scoring_groups WHERE workspace = ?`).all(workspace) as ScoringRow[]);
  }

  /** Operator view: resolved forecasts of every workspace, or of one. */
  async resolvedForecastsForOperator(workspace?: string): Promise<ResolvedForecast[]> {
    return ((workspace
      ? prep(this.db, `${RESOLVED_FORECASTS} AND o.workspace = ? ORDER BY o.recorded_at, p.id`).all(workspace)
      : prep(this.db, `${RESOLVED_FORECASTS} ORDER BY o.recorded_at, p.id`).all()) as RawForecast[]).map(toForecast);
  }

  async resolvedEstimates(workspace: string): Promise<ResolvedEstimate[]> {
    return prep(this.db, `${RESOLVED_ESTIMATES} AND o.workspace = ? ORDER BY o.recorded_at`).all(workspace) as ResolvedEstimate[];
  }

  async resolvedEstimatesForOperator(workspace?: string): Promise<ResolvedEstimate[]> {
    return (workspace
      ? prep(this.db, `${RESOLVED_ESTIMATES} AND o.workspace = ? ORDER BY o.recorded_at`).all(workspace)
      : prep(this.db, `${RESOLVED_ESTIMATES} ORDER BY o.recorded_at`).all()) as ResolvedEstimate[];
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
    return toTotals(prep(this.db, 'SELECT * FROM workspace_stats WHERE workspace = ?').get(workspace) as RawTotals | undefined);
  }

  async learnedCalibration(workspace: string): Promise<{ outcomeVersion: string; model: string } | undefined> {
    const r = prep(this.db, 'SELECT outcome_version, model_json FROM workspace_calibration WHERE workspace = ?').get(workspace) as { outcome_version: string; model_json: string } | undefined;
    return r && { outcomeVersion: r.outcome_version, model: r.model_json };
  }

  async saveLearnedCalibration(workspace: string, outcomeVersion: string, model: string, now: number): Promise<void> {
    prep(this.db, `INSERT INTO workspace_calibration (workspace, outcome_version, model_json, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (workspace) DO UPDATE SET outcome_version = excluded.outcome_version, model_json = excluded.model_json, updated_at = excluded.updated_at`)
      .run(workspace, outcomeVersion, model, now);
  }

  /** Operator/metrics view: open predictions over every workspace (a sum over one row per workspace). */
  async countOpenPredictionsForOperator(): Promise<number> {
    return (prep(this.db, 'SELECT COALESCE(SUM(open_predictions), 0) AS n FROM workspace_stats').get() as { n: number }).n;
  }

  /** Operator/metrics view: Brier score over every resolved prediction, null before the first. */
  async brierForOperator(): Promise<number | null> {
    const r = prep(this.db, 'SELECT SUM(squared_error) AS se, SUM(resolved) AS n FROM workspace_stats').get() as { se: number | null; n: number | null };
    return r.n ? r.se! / r.n : null;
  }

  async decisions(workspace: string, query: DecisionQuery): Promise<Decision[]> {
    return sqliteDecisions(this.db, workspace, query);
  }

  async record(workspace: string, query: RecordQuery): Promise<TopicRecord> {
    return sqliteTopicRecord(this.db, workspace, query);
  }

  async setVerdictUrl(workspace: string, id: string, url: string): Promise<boolean> {
    return prep(this.db, 'UPDATE consultations SET verdict_url = ? WHERE workspace = ? AND id = ?').run(url, workspace, id).changes > 0;
  }

  async setCheckIn(workspace: string, id: string, at: number): Promise<boolean> {
    const db = this.db;
    return db.transaction(() => {
      const changed = prep(db, 'UPDATE consultations SET check_in_at = ? WHERE workspace = ? AND id = ?').run(at, workspace, id).changes;
      if (changed === 0) return false;
      prep(db, 
        `UPDATE scheduled_jobs SET due_at = ?, done_at = NULL, attempts = 0, lease_until = NULL, last_error = NULL
         WHERE workspace = ? AND job_key = ?`,
      ).run(at, workspace, `check-in:${id}`);
      // A reminder belongs to the check-in it follows; the moved check-in will queue a fresh one.
      prep(db, 'DELETE FROM scheduled_jobs WHERE workspace = ? AND job_key = ?').run(workspace, `check-in-reminder:${id}`);
      return true;
    })();
  }
}
