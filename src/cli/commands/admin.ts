// `kb lint`, `db migrate`, `db copy` and `workspace purge`: what an operator runs around an upgrade,
// a move from SQLite to PostgreSQL, and the end of a workspace's retention.
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { loadKnowledge } from '../../knowledge/load.js';
import { KNOWLEDGE_DIR } from '../../paths.js';
import { copyStore } from '../../store/copy.js';
import { openStore } from '../../store/index.js';
import { openCliStore, printJson, redactUrl, storeLocation } from '../io.js';

export function registerAdminCommands(program: Command): void {
  const kb = program.command('kb').description('knowledge base tools');
  kb.command('lint')
    .description('validate every knowledge file (schema, references, ids)')
    .option('--dir <dir>', 'knowledge directory', KNOWLEDGE_DIR)
    .action((options: { dir: string }) => {
      const loaded = loadKnowledge(options.dir);
      const questions = [...loaded.topics.values()].reduce((n, t) => n + t.questions.length, 0);
      const modes = [...loaded.topics.values()].reduce((n, t) => n + t.failureModes.length, 0);
      process.stderr.write(`knowledge ok: ${loaded.topics.size} topics, ${questions} questions, ${modes} failure modes, version ${loaded.version}\n`);
    });

  kb.command('gaps')
    .description('what people ask about that the knowledge base has no topic for, most asked first')
    .option('--workspace <workspace>', 'one workspace (default: every workspace, summed)')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action(async (options: { workspace?: string; limit: string; json?: boolean }) => {
      const n = Number(options.limit);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InputError(`--limit must be a whole number from 1 to 1000; got "${options.limit}".`);
      const store = await openCliStore(program.opts<{ db?: string }>().db);
      try {
        const gaps = await store.gaps.top({ ...(options.workspace ? { workspace: options.workspace } : {}), limit: n });
        if (options.json) return printJson(gaps.map((g) => ({ term: g.term, asks: g.asks, lastSeen: new Date(g.lastSeen).toISOString() })));
        if (gaps.length === 0) return void process.stdout.write('No gaps recorded yet: every question so far matched a topic.\n');
        for (const g of gaps) process.stdout.write(`${String(g.asks).padStart(6)}  ${g.term}   (last ${new Date(g.lastSeen).toISOString().slice(0, 10)})\n`);
      } finally {
        await store.close();
      }
    });

  const db = program.command('db').description('database tools');
  db.command('migrate')
    .description('apply pending migrations (SQLite file or PostgreSQL)')
    .action(async () => {
      const location = storeLocation(program.opts<{ db?: string }>().db);
      const store = await openStore(location, { migrate: false });
      const pending = (await store.check()).pendingMigrations;
      await store.close();
      const where = location.url ? redactUrl(location.url) : location.path;
      if (pending === 0) {
        process.stderr.write(`${where} is up to date\n`);
        return;
      }
      await (await openStore(location)).close();
      process.stderr.write(`applied ${pending} migration${pending === 1 ? '' : 's'} to ${where}\n`);
    });

  db.command('copy')
    .description('copy a SQLite database into an empty PostgreSQL one (refuses a non-empty target)')
    .requiredOption('--from <path>', 'the SQLite file to copy')
    .requiredOption('--to <url>', 'postgres://… of the target database')
    .option('--json', 'print the row counts as JSON')
    .action(async (options: { from: string; to: string; json?: boolean }) => {
      if (!/^postgres(ql)?:\/\//.test(options.to)) throw new InputError(`--to must be a postgres:// URL; got "${redactUrl(options.to)}".`);
      if (/^postgres(ql)?:\/\//.test(options.from)) throw new InputError('--from must be a SQLite file path, not a URL.');
      const source = await openStore({ path: options.from }, { migrate: false });
      try {
        if ((await source.check()).pendingMigrations > 0) await (await openStore({ path: options.from })).close();
        const target = await openStore({ url: options.to, path: '' });
        try {
          const counts = await copyStore(source, target);
          if (options.json) return printJson(counts);
          process.stdout.write(`${'table'.padEnd(26)}${'sqlite'.padStart(10)}${'postgres'.padStart(10)}\n`);
          for (const [table, c] of Object.entries(counts)) process.stdout.write(`${table.padEnd(26)}${String(c.source).padStart(10)}${String(c.target).padStart(10)}\n`);
          process.stderr.write(`copied ${options.from} to ${redactUrl(options.to)}\n`);
        } finally {
          await target.close();
        }
      } finally {
        await source.close();
      }
    });

  const workspace = program.command('workspace').description('workspace data');
  workspace.command('purge')
    .description("delete everything stored for a workspace (consultations, outcomes, jobs, settings, tokens); it cannot be undone")
    .argument('<workspace>', 'Slack team id or Teams tenant id')
    .option('--json', 'print the deleted row counts as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const store = await openCliStore(program.opts<{ db?: string }>().db);
      try {
        const deleted = await store.workspaces.purge(id);
        if (options.json) return printJson(deleted);
        const total = Object.values(deleted).reduce((a, b) => a + (b ?? 0), 0);
        process.stdout.write(`purged workspace ${id}: ${total} rows (${Object.entries(deleted).filter(([, n]) => n).map(([t, n]) => `${t} ${n}`).join(', ') || 'nothing stored'})\n`);
      } finally {
        await store.close();
      }
    });
}
