// `digest --dry-run` prints a workspace's weekly digest; `digest --png FILE` writes its chart;
// `backup FILE` takes a consistent online copy of the database while the service runs.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { buildDigest } from '../../service/digest-service.js';
import { openSqliteStore } from '../../store/sqlite/index.js';
import { openCliStore, printJson, redactUrl, shellQuote, storeLocation } from '../io.js';

export function registerDigestCommands(program: Command): void {
  program
    .command('digest')
    .description("print a workspace's weekly accuracy digest (--dry-run) or write its calibration chart (--png FILE)")
    .option('--dry-run', 'print the digest instead of posting it')
    .option('--workspace <workspace>', 'workspace (default: cli)', 'cli')
    .option('--tz <zone>', 'time zone for the week boundaries', 'UTC')
    .option('--png <file>', 'write the calibration chart as a PNG')
    .option('--json', 'print the digest as JSON')
    .action(async (options: { dryRun?: boolean; workspace: string; tz: string; png?: string; json?: boolean }) => {
      if (!options.dryRun && !options.png && !options.json) {
        throw new InputError('The terminal never posts to chat: use --dry-run to print the digest, --json for JSON, or --png FILE for the chart.');
      }
      const store = await openCliStore(program.opts<{ db?: string }>().db);
      try {
        const digest = await buildDigest(store, options.workspace, Date.now(), options.tz);
        if (options.png) {
          const { renderCalibrationPng } = await import('../../chart/calibration-chart.js');
          writeFileSync(options.png, await renderCalibrationPng(digest.accuracy.calibration, `Calibration — ${options.workspace}, ${digest.weekLabel}`));
          process.stderr.write(`wrote ${options.png}\n`);
        }
        if (options.json) printJson(digest);
        else if (options.dryRun) process.stdout.write(`${digest.lines.join('\n')}\n`);
      } finally {
        await store.close();
      }
    });

  program
    .command('backup')
    .description('copy the database to FILE with SQLite online backup (safe while the service runs); on PostgreSQL, shows the pg_dump command')
    .argument('<file>', 'where to write the copy')
    .action(async (file: string) => {
      const location = storeLocation(program.opts<{ db?: string }>().db);
      if (location.url) {
        // PostgreSQL has its own consistent online dump; a copy through the app would be slower and weaker.
        process.stdout.write(`On PostgreSQL, back up with pg_dump (consistent while the service runs):\n  pg_dump --format=custom --file=${shellQuote(file)} ${shellQuote(redactUrl(location.url))}\nRestore into an empty database with: pg_restore --dbname=<url> ${shellQuote(file)}\n`);
        return;
      }
      const store = openSqliteStore(location.path);
      try {
        await store.backup(file);
        process.stderr.write(`backed up to ${file}\n`);
      } finally {
        await store.close();
      }
    });
}
