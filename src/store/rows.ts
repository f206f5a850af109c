// Row shapes both engines read the same way (same column names on both): 0/1/NULL flags as booleans,
// consultations, installations, jobs and resolved forecasts as the queries return them.
import { z } from 'zod';
import type { ConsultationRow, InstallationRecord, Job, NewConsultation, Platform, ResolvedForecast } from './types.js';

export type RawForecast = Omit<ResolvedForecast, 'followedAlternative'> & { followedAlternative: number | null };

/** A 0/1 column that may be NULL ("not answered"). */
export function flag(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}

export function toForecast(r: RawForecast): ResolvedForecast {
  return { ...r, followedAlternative: flag(r.followedAlternative) };
}

const answersSchema = z.record(z.string(), z.string());

export interface RawConsultation {
  id: string;
  workspace: string;
  platform: Platform;
  channel: string | null;
  user_id: string;
  question: string;
  topic: string;
  knowledge_version: string;
  answers_json: string;
  verdict: string;
  risk_score: number;
  assessment_json: string;
  created_at: number;
  check_in_at: number;
  not_adopted: number;
  story: string | null;
  story_private: number;
  story_by: string | null;
  story_author: string | null;
  story_at: number | null;
  source_url: string | null;
  verdict_url: string | null;
  history_json: string | null;
  followed_alternative: number | null;
}

export function toConsultationRow(r: RawConsultation): ConsultationRow {
  return {
    id: r.id,
    workspace: r.workspace,
    platform: r.platform,
    channel: r.channel,
    userId: r.user_id,
    question: r.question,
    topic: r.topic,
    knowledgeVersion: r.knowledge_version,
    answers: answersSchema.parse(JSON.parse(r.answers_json)),
    verdict: r.verdict,
    riskScore: r.risk_score,
    assessment: JSON.parse(r.assessment_json) as unknown,
    createdAt: r.created_at,
    checkInAt: r.check_in_at,
    notAdopted: r.not_adopted === 1,
    story: r.story === null || r.story_at === null ? null : { text: r.story, private: r.story_private === 1, recordedBy: r.story_by ?? '', author: r.story_author, recordedAt: r.story_at },
    sourceUrl: r.source_url,
    verdictUrl: r.verdict_url,
    history: r.history_json === null ? null : (JSON.parse(r.history_json) as unknown),
    followedAlternative: flag(r.followed_alternative),
  };
}

/**
 * The row a just-saved consultation reads back as, built from what was saved: nothing is adopted,
 * answered, linked or told yet. A submission renders its verdict from it instead of reading back its
 * ~15 KB assessment and parsing it again (the contract suite checks it equals what `get` returns).
 */
export function savedRow(c: NewConsultation): ConsultationRow {
  return {
    id: c.id,
    workspace: c.workspace,
    platform: c.platform,
    channel: c.channel,
    userId: c.userId,
    question: c.question,
    topic: c.topic,
    knowledgeVersion: c.knowledgeVersion,
    answers: c.answers,
    verdict: c.verdict,
    riskScore: c.riskScore,
    assessment: c.assessment,
    createdAt: c.createdAt,
    checkInAt: c.checkInAt,
    notAdopted: false,
    story: null,
    sourceUrl: c.sourceUrl ?? null,
    verdictUrl: null,
    history: c.history ?? null,
    followedAlternative: null,
  };
}

export interface RawInstallation {
  install_key: string;
  team_id: string | null;
  enterprise_id: string | null;
  enterprise_install: number;
  sealed: string;
  expires_at: number | null;
  version: number;
  updated_at: number;
}

export const toInstallationRecord = (r: RawInstallation): InstallationRecord => ({
  key: r.install_key,
  teamId: r.team_id,
  enterpriseId: r.enterprise_id,
  enterpriseInstall: r.enterprise_install === 1,
  sealed: r.sealed,
  expiresAt: r.expires_at,
  version: r.version,
  updatedAt: r.updated_at,
});

const payloadSchema = z.record(z.string(), z.unknown());

export interface RawJob {
  id: number;
  workspace: string;
  kind: string;
  job_key: string;
  due_at: number;
  payload_json: string;
  attempts: number;
}

export const toJob = (r: RawJob): Job => ({ id: r.id, workspace: r.workspace, kind: r.kind, key: r.job_key, dueAt: r.due_at, payload: payloadSchema.parse(JSON.parse(r.payload_json)), attempts: r.attempts });
