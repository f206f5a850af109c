// CLI plumbing: where output goes, how files are read, and which database and knowledge base to use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { loadKnowledge, type KnowledgeBase } from '../knowledge/load.js';
import { KNOWLEDGE_DIR } from '../paths.js';
import { openStore, type Store, type StoreLocation } from '../store/index.js';

export const DEFAULT_DATABASE_PATH = join('data', 'reality-check.db');

/** An environment variable set to the empty string counts as unset. */
export function env(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

export function databasePath(option?: string): string {
  return option ?? env('DATABASE_PATH') ?? DEFAULT_DATABASE_PATH;
}

const isPostgresUrl = (value: string): boolean => /^postgres(ql)?:\/\//.test(value);

/**
 * Where the CLI's database is: `--db` (a SQLite path or a postgres:// URL), else DATABASE_URL, else
 * DATABASE_PATH, else ./data/reality-check.db. Both variables set is refused, as at start.
 */
export function storeLocation(option?: string): StoreLocation {
  if (option) return isPostgresUrl(option) ? { url: option, path: '' } : { path: option };
  const url = env('DATABASE_URL');
  if (url && env('DATABASE_PATH')) throw new InputError('Both DATABASE_URL and DATABASE_PATH are set; set one (DATABASE_URL for PostgreSQL, DATABASE_PATH for a SQLite file).');
  if (url) return { url, path: '' };
  return { path: databasePath() };
}

export function openCliStore(option?: string): Promise<Store> {
  return openStore(storeLocation(option));
}

export function loadCliKnowledge(dir?: string): KnowledgeBase {
  return loadKnowledge(dir ?? env('KNOWLEDGE_DIR') ?? KNOWLEDGE_DIR);
}

export function readJsonFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`Cannot read ${what} file "${path}": no such file or it is not readable.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(`${what} file "${path}" is not valid JSON.`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new InputError(`${what} file "${path}"${at}: ${issue.message}.`);
  }
  return parsed.data;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** A database URL without its password, for messages and printed commands. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}
