// `kb lint` and `db migrate`: checks an operator runs before and after an upgrade.
import type { Command } from 'commander';
import { loadKnowledge } from '../../knowledge/load.js';
import { KNOWLEDGE_DIR, MIGRATIONS_DIR } from '../../paths.js';
import { migrate, openDatabase } from '../../store/database.js';
import { databasePath } from '../io.js';

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

  const db = program.command('db').description('database tools');
  db.command('migrate')
    .description('apply pending migrations')
    .action(() => {
      const path = databasePath(program.opts<{ db?: string }>().db);
      const handle = openDatabase(path);
      try {
        const applied = migrate(handle, MIGRATIONS_DIR);
        process.stderr.write(applied.length ? `applied: ${applied.join(', ')}\n` : `${path} is up to date\n`);
      } finally {
        handle.close();
      }
    });
}
