// Shared benchmark plumbing: start a server process pinned to one core, sign Slack requests, and
// drive load from this process (pinned to the other core) with keep-alive connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { startCommand } from '../tools/start-command.js';
import { now } from './standin.js';

export const SECRET = 'bench-signing-secret';
export const ROOT = join(import.meta.dirname, '..', '..');
/** reality-check as `npm start` runs it: pass APP.script to startServerProcess. */
export const APP = startCommand(ROOT);

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  startedAt: number;
  readyAt: number;
  stop(): Promise<void>;
  rssMb(): number;
  /** Anonymous (heap and native) memory only, without the mapped database file's pages. */
  anonMb(): number;
}

// A benchmark that fails must not leave servers behind.
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));

export async function startServerProcess(script: string, port: number, env: Record<string, string>, readyPath: string, core = 1): Promise<ServerProcess> {
  const startedAt = now();
  // Our app runs as `npm start` runs it (its node flags included); BENCH_APP_FLAGS adds V8 flags to try
  // (e.g. --max-semi-space-size=4). The bare Bolt baseline runs with Node's defaults; BENCH_BARE_FLAGS gives
  // it flags too (bench:slack with BENCH_BARE_FLAGS=--max-semi-space-size=32: what our flag would do for it).
  const words = (name: string): string[] => (process.env[name] ?? '').split(' ').filter(Boolean);
  const flags = script === APP.script ? [...APP.nodeArgs, ...words('BENCH_APP_FLAGS')] : words('BENCH_BARE_FLAGS');
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...flags, join(ROOT, script)], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', process.env.BENCH_VERBOSE ? 'inherit' : 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let readyAt = 0;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  for (let i = 0; i < 2000 && readyAt === 0 && exited === null; i++) {
    const status = await get(port, readyPath).catch(() => 0);
    if (status > 0 && (readyPath === '/' || status === 200)) readyAt = now();
    else await new Promise((r) => setTimeout(r, 5));
  }
  if (readyAt === 0) throw new Error(`${script} did not become ready${exited !== null ? ` (exited with ${exited})` : ''}`);
  return {
    child,
    port,
    startedAt,
    readyAt,
    anonMb: () => Number(/RssAnon:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The text of a GET (for /metrics). */
export function getText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.end();
  });
}

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

export function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'rc-bench-')), 'bench.db');
}

export function signedHeaders(body: string, contentType: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`,
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function post(port: number, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed while it sat idle (the other server's turn) fails on reuse:
      // the request never reached the server, so it is sent again on a fresh socket.
      if (req.reusedSocket && error.code === 'ECONNRESET') post(port, path, body, headers).then(resolve, reject);
      else reject(error);
    });
    req.end(body);
  });
}

let seq = 0;
/**
 * A signed-body slash command from a person never seen before (a whole organisation answering an
 * all-hands announcement), in workspace T0001.
 */
export function slashCommand(text: string): { body: string; triggerId: string } {
  const n = ++seq;
  const triggerId = `t${n}.${process.pid}`;
  const body = new URLSearchParams({
    token: 'x', team_id: 'T0001', team_domain: 'bench', channel_id: 'C0001', channel_name: 'bench', user_id: `UN${process.pid}x${n}`,
    user_name: 'bench', command: '/reality-check', text, api_app_id: 'A1', response_url: 'http://127.0.0.1:9/', trigger_id: triggerId,
  }).toString();
  return { body, triggerId };
}

/** Closed-loop load: `connections` workers each send the next request when the last one answered. */
export async function closedLoop(connections: number, durationMs: number, send: () => Promise<void>): Promise<number> {
  const end = now() + durationMs;
  let done = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (now() < end) {
        await send();
        done++;
      }
    }),
  );
  return done / (durationMs / 1000);
}

// Below Linux's ephemeral range (32768–60999): a port from inside it can be taken meanwhile by any outgoing
// connection (bench:scale once lost a server to a PostgreSQL client's port).
let nextPort = 20_000 + Math.floor(Math.random() * 10_000);

/** Ports something on this machine listens on (RabbitMQ's 25672 is in the range above), from /proc. */
function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local) ports.add(Number.parseInt(local.split(':').at(-1)!, 16));
    }
  }
  return ports;
}

/** A port unlikely to be taken: benchmarks start many servers and a leftover must not be mistaken for ours. */
export function freePort(): number {
  const taken = listeningPorts();
  while (taken.has(nextPort)) nextPort++;
  return nextPort++;
}
