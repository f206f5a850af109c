// Composition root: config → database → migrations → knowledge → surfaces → start.
// With no chat credentials it runs one consultation in the terminal (or prints how to connect).
import { loadConfig } from './config.js';
import { isAppError } from './errors.js';

const HELP = `reality-check: operational truth about architecture decisions.

No chat platform is configured, and there is no terminal to ask questions in.
  Slack:  set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (and SLACK_APP_TOKEN for Socket Mode), then npm start
          or, for installs into many workspaces by OAuth, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET,
          SLACK_SIGNING_SECRET and TOKEN_ENCRYPTION_KEY (see README, "Distribute to several workspaces")
  Database: SQLite at DATABASE_PATH (./data/reality-check.db) unless DATABASE_URL=postgres://… is set
  Teams:  set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD (and MICROSOFT_APP_TENANT_ID), or TEAMS_LOCAL=1, then npm start
  Terminal: npx reality-check ask "should we use Kubernetes?"   (npx reality-check --help for more)
See README.md for installing the app in a workspace.
`;

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.slack && !config.teams) {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      process.stdout.write(HELP);
      return 0;
    }
    const { runTerminalConsultation } = await import('./cli/terminal-session.js');
    await runTerminalConsultation(config.databaseUrl ?? config.databasePath);
    return 0;
  }
  const { startServer } = await import('./server/start.js');
  const running = await startServer(config);
  const shutdown = (signal: string): void => {
    running.logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`reality-check: ${isAppError(error) ? error.message : `could not start: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exitCode = 1;
  },
);
