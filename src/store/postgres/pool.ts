// The PostgreSQL connection pool and what every repository uses from it: typed queries, transactions
// on one client, and a lost or refused connection turned into one AppError that never shows the password.
import pg from 'pg';
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import { ConfigError, DatabaseUnavailableError } from '../../errors.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * COUNT, SUM and the BIGINT columns (ms timestamps, ids) arrive as int8, which node-postgres hands
 * over as strings to be safe past 2^53. Ours stay far below it, and the Store promises numbers, so
 * this pool (only this one: the global parsers stay untouched) reads them as numbers.
 */
const toNumber = (value: string): number => Number(value);
const getTypeParser = (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) =>
  oid === INT8_OID || oid === NUMERIC_OID ? toNumber : pg.types.getTypeParser(oid, format);

/**
 * A CTE that makes its statement's commit not wait for the log to reach the disk: `set_config(…, true)`
 * turns synchronous_commit off for the statement's own transaction only (the statement is one), so every
 * other statement on the pooled connection commits as before. Only for writes whose last fraction of a
 * second a crash of the database server may lose (a rate-limit hit, a questionnaire step). The statement
 * must read from `unsynced` (or be an INSERT … SELECT … FROM unsynced) so that the CTE runs.
 */
export const UNSYNCED = "unsynced AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))";

/** Where the pool connects, for messages: never the password, which is kept only to scrub it. */
export interface Target {
  /** postgres://user@host:port/database, the way every message names the database. */
  label: string;
  /** The password as written in the URL and decoded, only to scrub it from any message. */
  secrets: string[];
}

/** Percent-decoding that keeps a malformed escape as written instead of throwing. */
const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Reads host, port, database and user out of the URL without ever echoing the URL itself. */
export function describeTarget(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL may hold a password: neither it nor the parser's error (which quotes it) goes further.
    throw new ConfigError('The database URL is not a valid postgres:// URL.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ConfigError(`The database URL must start with postgres:// (it starts with ${parsed.protocol}//).`);
  }
  const host = parsed.searchParams.get('host') ?? (decode(parsed.hostname) || 'localhost');
  const port = parsed.port || '5432';
  const user = decode(parsed.username);
  const database = decode(parsed.pathname.slice(1)) || user || '(default database)';
  return { label: `postgres://${user ? `${user}@` : ''}${host}:${port}/${database}`, secrets: [...new Set([parsed.password, decode(parsed.password)])].filter(Boolean) };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * Errors that mean "the database is not there for us", as opposed to a bad query: network failures,
 * SQLSTATE 08 (connection), 28 (authentication), 3D000 (no such database), 53300 (too many
 * connections), 57P01–03 (shutting down, starting up), and node-postgres' own connect timeout.
 */
function isConnectionError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || /^(08|28)/.test(code) || ['3D000', '53300', '57P01', '57P02', '57P03'].includes(code))) return true;
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout/i.test(error.message);
}

/** A connection failure as DatabaseUnavailableError; any other error unchanged. */
export function translate(error: unknown, target: Target): unknown {
  if (!isConnectionError(error)) return error;
  const code = (error as Error & { code?: unknown }).code;
  // An AggregateError (every address of a host refused) has an empty message but a code.
  let reason = error.message || (typeof code === 'string' ? code : 'connection failed');
  for (const secret of target.secrets) reason = reason.split(secret).join('***');
  return new DatabaseUnavailableError(`Cannot use the PostgreSQL database ${target.label}: ${reason}`, { cause: error });
}

/** Queries on the pool or on one transaction's client, with connection failures translated. */
const STALE_CONNECTION_RETRIES = 3;

/** The server ended this connection (admin shutdown, crash recovery, starting up): the statement did not run. */
function isTerminatedConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '57P01' || code === '57P02' || code === '57P03';
}

export class Sql {
  constructor(
    private readonly runner: pg.Pool | PoolClient,
    readonly target: Target,
  ) {}

  async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
    // After a restart or failover the pool may still hold connections the server has terminated; the
    // first query on each fails with 57P01-03 ("terminating connection"), and the server ran nothing of
    // it. On the pool (one autocommit statement, never inside a transaction) that is safe to try again on
    // a fresh connection, so a user never sees the stale connection, only a database that is really down.
    const retries = this.runner instanceof pg.Pool ? STALE_CONNECTION_RETRIES : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        // Pool and PoolClient have the same query overloads, which TypeScript cannot call through a union.
        return await (this.runner as pg.Pool).query<R>(text, values);
      } catch (error) {
        if (attempt < retries && isTerminatedConnection(error)) continue;
        throw translate(error, this.target);
      }
    }
  }

  async rows<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    return (await this.query<R>(text, values)).rows;
  }

  async one<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<R | undefined> {
    return (await this.query<R>(text, values)).rows[0];
  }

  /** Runs a statement and says how many rows it changed. */
  async run(text: string, values?: unknown[]): Promise<number> {
    return (await this.query(text, values)).rowCount ?? 0;
  }
}

/** The pool itself, with the same query helpers. */
export class PgDb extends Sql {
  constructor(
    readonly pool: pg.Pool,
    target: Target,
  ) {
    super(pool, target);
  }

  /** A client of its own, for a transaction or a session-level lock; release it when done. */
  async connect(): Promise<PoolClient> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translate(error, this.target);
    }
    // The pool's own error listener covers idle clients only: a checked-out client whose connection
    // dies between two queries emits 'error', which would otherwise take the process down. The next
    // query on it fails (and is translated); release() is then told the client is broken.
    const ignore = (): void => undefined;
    client.on('error', ignore);
    const release = client.release.bind(client);
    client.release = (err?: Error | boolean) => {
      client.off('error', ignore);
      release(err);
    };
    return client;
  }
}

export function createPool(url: string): PgDb {
  const target = describeTarget(url);
  const pool = new pg.Pool({
    connectionString: url,
    // Names the connections in pg_stat_activity; a URL's own application_name wins.
    application_name: 'reality-check',
    // Each replica is one Node process: a few connections keep it busy without crowding the server.
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types: { getTypeParser: getTypeParser as typeof pg.types.getTypeParser },
  });
  // An idle client's error (the server restarted, a proxy dropped it) is emitted on the pool; unhandled it
  // would crash the process. The pool has already discarded that client; the next query opens a new one.
  pool.on('error', (error) => {
    process.emitWarning(`PostgreSQL closed an idle connection to ${target.label}: ${error.message}`, { code: 'RC_PG_IDLE_ERROR' });
  });
  return new PgDb(pool, target);
}

/**
 * Runs `fn` in a transaction on a client of its own: BEGIN, COMMIT, ROLLBACK when it throws. The
 * client always goes back to the pool, or is destroyed when even the ROLLBACK failed (a dead connection).
 */
export async function withTransaction<T>(db: PgDb, fn: (tx: Sql) => Promise<T>): Promise<T> {
  const client = await db.connect();
  const tx = new Sql(client, db.target);
  let broken: Error | undefined;
  try {
    await tx.query('BEGIN');
    const result = await fn(tx);
    await tx.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** `($1, $2), ($3, $4)`: placeholders for a multi-row VALUES list, numbered from `first`. */
export function valuesList(rows: number, columns: number, first = 1): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) cells.push(`$${first + r * columns + c}`);
    out.push(`(${cells.join(', ')})`);
  }
  return out.join(', ');
}
