// The real app as a child process, started exactly as `npm start` starts it, plus a raw
// HTTP client that controls framing (content-length or chunked, slow uploads) and never pools
// connections, so a killed server shows up as a failed request and not as a stale socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCommand } from '../../tools/start-command.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = startCommand(ROOT);
export const MAIN = join(ROOT, START.script);

/** The tests run the built app; `npm run build` must have run first (as `npm test` does). */
export function assertBuilt(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before the robustness tests`);
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcess {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Parsed pino lines written so far (lines that are not JSON are skipped). */
  logs(): Array<Record<string, unknown>>;
  exited: Promise<Exit>;
  exit: Exit | null;
  /** Resolves with the exit, or null if the process is still running after timeoutMs. */
  waitExit(timeoutMs: number): Promise<Exit | null>;
}

export interface RunningApp extends AppProcess {
  port: number;
  base: string;
}

/** Only what the app needs: nothing from the test runner's environment leaks into the child. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...env };
}

/** Spawns the app with piped stdio (so no TTY) and returns at once. */
export function spawnApp(env: Record<string, string>, args: string[] = []): AppProcess {
  assertBuilt();
  const child = spawn(process.execPath, [...START.nodeArgs, MAIN, ...args], { cwd: ROOT, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const handle: AppProcess = {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    logs: () =>
      out.split('\n').flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    exit: null,
    exited: new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => {
        handle.exit = { code, signal };
        // stdio may still hold the last bytes; 'close' follows once the pipes are drained.
        child.once('close', () => resolve({ code, signal }));
      });
    }),
    waitExit: (timeoutMs) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        void handle.exited.then((e) => {
          clearTimeout(timer);
          resolve(e);
        });
      }),
  };
  return handle;
}

/** Spawns the app and waits (bounded) for its "reality-check ready" log line; needs LOG_LEVEL info or lower. */
export async function startApp(env: Record<string, string>, options: { timeoutMs?: number; onSpawn?: (app: AppProcess) => void } = {}): Promise<RunningApp> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const app = spawnApp({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  options.onSpawn?.(app);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = app.logs().find((l) => l.msg === 'reality-check ready');
    if (ready) {
      const port = Number(ready.port);
      return Object.assign(app, { port, base: `http://127.0.0.1:${port}` });
    }
    if (app.exit) throw new Error(`the app exited (${JSON.stringify(app.exit)}) before it was ready:\n${app.stderr()}\n${app.stdout().slice(-2000)}`);
    if (Date.now() > deadline) {
      app.child.kill('SIGKILL');
      throw new Error(`the app was not ready within ${timeoutMs} ms:\n${app.stderr()}\n${app.stdout().slice(-2000)}`);
    }
    await sleep(20);
  }
}

/** SIGKILL (if still running) and wait for the exit; for afterAll clean-up. */
export async function killHard(app: AppProcess | undefined): Promise<void> {
  if (!app) return;
  if (!app.exit) app.child.kill('SIGKILL');
  await app.waitExit(5_000);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns something other than undefined, or throws after timeoutMs. */
export async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---- HTTP -----------------------------------------------------------------------------------------

export interface RawRequest {
  port: number;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** The body, or a generator of chunks (streamed with back-pressure). */
  body?: Buffer | string | Iterable<Buffer>;
  /** 'length' sets content-length (bodies given as Buffer/string only); 'chunked' streams without it. */
  framing?: 'length' | 'chunked';
  /** Gives up (status 0, error 'timeout') after this long. */
  timeoutMs?: number;
}

export interface RawResponse {
  /** 0 when no response arrived (connection refused, reset, timeout). */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  error?: string;
  ms: number;
}

/** One request on a fresh connection. Never rejects: failures come back as status 0 with `error`. */
export function rawRequest(r: RawRequest): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (res: Omit<RawResponse, 'ms'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...res, ms: Date.now() - started });
    };
    const framing = r.framing ?? 'length';
    const headers: Record<string, string | number> = { ...(r.headers ?? {}), connection: 'close' };
    const single = typeof r.body === 'string' ? Buffer.from(r.body) : Buffer.isBuffer(r.body) ? r.body : undefined;
    if (framing === 'length' && single && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) headers['content-length'] = single.length;
    const req = request({ host: '127.0.0.1', port: r.port, path: r.path, method: r.method ?? 'POST', headers, agent: false });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, headers: {}, body: '', error: 'timeout' });
    }, r.timeoutMs ?? 20_000);
    let responded = false;
    req.on('response', (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        // A server that answered early (413) may still be draining our upload: we are done with it.
        req.destroy();
      });
      res.on('error', (e) => finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), error: e.message }));
    });
    req.on('error', (e) => {
      if (!responded) finish({ status: 0, headers: {}, body: '', error: (e as NodeJS.ErrnoException).code ?? e.message });
    });
    if (single !== undefined || r.body === undefined) {
      req.end(single);
      return;
    }
    const chunks = (r.body as Iterable<Buffer>)[Symbol.iterator]();
    const pump = (): void => {
      for (;;) {
        if (responded || req.destroyed) return;
        const next = chunks.next();
        if (next.done) {
          req.end();
          return;
        }
        if (!req.write(next.value)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

export function get(port: number, path: string): Promise<RawResponse> {
  return rawRequest({ port, path, method: 'GET' });
}

/** Runs `tasks` with at most `limit` in flight; results in task order. */
export async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** A stack trace or a raw error in a response body: "at <path>:<line>" frames or "SomethingError:". */
export function looksLikeStackTrace(body: string): boolean {
  return /\bat\s+(?:[^\s()]+\s+\()?(?:file:\/\/|\/|[A-Za-z]:\\|node:)[^\s)]*(?::\d+)?/.test(body) || /\b[A-Za-z]*Error:/.test(body);
}

export interface Upload {
  /** Resolves once the headers and the first part of the body have been handed to the kernel. */
  started: Promise<void>;
  /** Sends the rest of the body and ends the request. */
  finish(): void;
  response: Promise<RawResponse>;
}

/** A request whose body is sent in two parts, so it is in flight for as long as the test wants. */
export function startUpload(r: { port: number; path: string; headers: Record<string, string>; body: string; firstBytes: number; timeoutMs?: number }): Upload {
  const body = Buffer.from(r.body);
  const started = Date.now();
  const req = request({ host: '127.0.0.1', port: r.port, path: r.path, method: 'POST', headers: { ...r.headers, 'content-length': body.length, connection: 'close' }, agent: false });
  let resolveStarted!: () => void;
  const startedPromise = new Promise<void>((resolve) => (resolveStarted = resolve));
  const response = new Promise<RawResponse>((resolve) => {
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: 0, headers: {}, body: '', error: 'timeout', ms: Date.now() - started });
    }, r.timeoutMs ?? 15_000);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started });
      });
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      resolve({ status: 0, headers: {}, body: '', error: (e as NodeJS.ErrnoException).code ?? e.message, ms: Date.now() - started });
    });
  });
  req.flushHeaders();
  req.write(body.subarray(0, r.firstBytes), () => resolveStarted());
  return {
    started: startedPromise,
    finish: () => req.end(body.subarray(r.firstBytes)),
    response,
  };
}
