#!/usr/bin/env node
// The reality-check terminal: consult, list, resolve, report and lint with no chat platform at all.
// Errors a person can fix print one line and exit non-zero; nothing prints a stack trace.
import { Command, CommanderError } from 'commander';
import { isAppError } from '../errors.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerConsultCommands } from './commands/consult.js';
import { registerDigestCommands } from './commands/digest.js';
import { registerHistoryCommand } from './commands/history.js';
import { registerInstallationCommands } from './commands/installations.js';
import { registerRecordCommands } from './commands/records.js';

export function buildProgram(): Command {
  const program = new Command('reality-check')
    .description('Operational truth about architecture decisions, scored against what really happened.')
    .option('--db <path-or-url>', 'SQLite file or postgres:// URL (default $DATABASE_URL, else $DATABASE_PATH, else ./data/reality-check.db)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerConsultCommands(program);
  registerRecordCommands(program);
  registerHistoryCommand(program);
  registerAdminCommands(program);
  registerDigestCommands(program);
  registerInstallationCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isAppError(error)) {
      process.stderr.write(`reality-check: ${error.message}\n`);
      return 1;
    }
    if (error instanceof Error && error.name === 'ExitPromptError') return 130;
    process.stderr.write(`reality-check: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await runCli(process.argv);
