// `installations list` and `installations reseal`: an operator's view of OAuth installs (never a
// token), and the second step of rotating TOKEN_ENCRYPTION_KEY (every record re-sealed under the new key).
import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { Sealer } from '../../slack/oauth/seal.js';
import { env, openCliStore, printJson } from '../io.js';

function key(name: string): Buffer | undefined {
  const value = env(name);
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 32) throw new ConfigError(`${name} must be 32 bytes, base64-encoded (openssl rand -base64 32).`);
  return bytes;
}

export function registerInstallationCommands(program: Command): void {
  const installations = program.command('installations').description('Slack workspaces installed by OAuth');
  installations
    .command('list')
    .description('list installed workspaces and orgs (no tokens)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const store = await openCliStore(program.opts<{ db?: string }>().db);
      try {
        const rows = (await store.installations.list()).map((r) => ({ key: r.key, teamId: r.teamId, enterpriseId: r.enterpriseId, orgWide: r.enterpriseInstall, tokenExpiresAt: r.expiresAt && new Date(r.expiresAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString() }));
        if (options.json) return printJson(rows);
        if (rows.length === 0) return void process.stdout.write('No workspace has installed the app by OAuth yet.\n');
        for (const r of rows) process.stdout.write(`${r.key.padEnd(14)} ${r.orgWide ? 'org-wide' : 'workspace'}  updated ${r.updatedAt}${r.tokenExpiresAt ? `  token expires ${r.tokenExpiresAt}` : ''}\n`);
      } finally {
        await store.close();
      }
    });

  installations
    .command('reseal')
    .description('re-encrypt every stored installation under TOKEN_ENCRYPTION_KEY (after a key rotation; the old key in TOKEN_ENCRYPTION_KEY_PREVIOUS)')
    .action(async () => {
      const current = key('TOKEN_ENCRYPTION_KEY');
      if (!current) throw new ConfigError('TOKEN_ENCRYPTION_KEY must be set to the new key (and TOKEN_ENCRYPTION_KEY_PREVIOUS to the old one).');
      const sealer = new Sealer(current, key('TOKEN_ENCRYPTION_KEY_PREVIOUS'));
      const store = await openCliStore(program.opts<{ db?: string }>().db);
      try {
        let resealed = 0;
        let current_ = 0;
        for (const record of await store.installations.list()) {
          if (!sealer.isStale(record.sealed)) {
            current_++;
            continue;
          }
          const plain = sealer.open(record.sealed, record.key);
          // Compare-and-set: a replica refreshing this token at the same moment wins, and seals with the new key itself.
          if (await store.installations.replaceIf(record.key, record.version, sealer.seal(plain, record.key), record.expiresAt, Date.now())) resealed++;
        }
        process.stderr.write(`re-sealed ${resealed} installation${resealed === 1 ? '' : 's'} under the new key; ${current_} already were. TOKEN_ENCRYPTION_KEY_PREVIOUS can now be removed.\n`);
      } finally {
        await store.close();
      }
    });
}
