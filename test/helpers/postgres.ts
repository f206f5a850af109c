// PostgreSQL for tests: whether the local server is there (TEST_DATABASE_URL, default the trust-auth
// server on 127.0.0.1), and a database of a test file's own, created fresh and dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server to create test databases on; its own database (`postgres`) is only connected to. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** CI sets REQUIRE_POSTGRES=1: there a missing server fails the suites instead of skipping them. */
export const POSTGRES_REQUIRED = process.env.REQUIRE_POSTGRES === '1';

/** The server URL as printed in messages: without its password. */
export function serverLabel(): string {
  const url = new URL(TEST_SERVER_URL);
  url.password = '';
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL, connectionTimeoutMillis: 3_000 });
  // A connection the server drops while idle must not take the test process down with it.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function pgAvailable(): Promise<boolean> {
  try {
    await withAdmin((client) => client.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

/** The URL of another database on the same server (same user, host and options). */
export function databaseUrl(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database named rc_test_<random>; drop() removes it even while connections are open. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `rc_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: databaseUrl(name),
    drop: async () => {
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** Runs SQL of a test's own on a database (not through a store), e.g. to look at what a store wrote. */
export async function onDatabase<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
