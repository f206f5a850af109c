// Typed errors: callers branch on `code`, never on message text, and `cause` keeps what was wrapped.
// One place per surface (CLI top level, Bolt's app.error, Teams' onTurnError) turns them into words.

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'KNOWLEDGE_INVALID'
  | 'UNKNOWN_TOPIC'
  | 'ANSWER_INVALID'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'MIGRATION_EDITED'
  | 'DATABASE_NEWER'
  | 'DATABASE_UNAVAILABLE'
  | 'INPUT_INVALID'
  | 'RATE_LIMITED'
  | 'PLATFORM_FAILED';

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class ConfigError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

export class KnowledgeError extends AppError {
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('KNOWLEDGE_INVALID', `${file}: ${message}`, options);
    this.file = file;
  }
}

export class AnswerError extends AppError {
  readonly questionId: string;

  constructor(questionId: string, message: string) {
    super('ANSWER_INVALID', message);
    this.questionId = questionId;
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

export class InputError extends AppError {
  constructor(message: string) {
    super('INPUT_INVALID', message);
  }
}

export class MigrationError extends AppError {}

/** The database server cannot be reached or refuses the connection; the message names where, never the password. */
export class DatabaseUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('DATABASE_UNAVAILABLE', message, options);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
