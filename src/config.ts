// All configuration, parsed once at start by one zod schema over the environment. A bad value stops
// the start with the variable named and what was expected. Empty strings count as unset.
import { z } from 'zod';
import { ConfigError } from './errors.js';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

const optionalText = z.string().min(1).optional();
const flag = z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true');

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const envSchema = z
  .object({
    DATABASE_PATH: optionalText,
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/.+/, 'must be a PostgreSQL URL such as postgres://user@host:5432/reality_check').optional(),
    KNOWLEDGE_DIR: optionalText,
    PORT: z.coerce.number().int('must be a whole number').min(0).max(65535).default(3000),
    HOST: optionalText,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
    SLACK_API_URL: z.url('must be a URL such as https://slack.com/api/').optional(),
    SLACK_CLIENT_ID: optionalText,
    SLACK_CLIENT_SECRET: optionalText,
    SLACK_STATE_SECRET: z.string().min(16, 'must be at least 16 characters (a random secret that signs the OAuth state)').optional(),
    TOKEN_ENCRYPTION_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(v), 'must be 32 bytes, base64-encoded (openssl rand -base64 32)').optional(),
    TOKEN_ENCRYPTION_KEY_PREVIOUS: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded').optional(),
    INSTALLATION_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    MICROSOFT_APP_ID: optionalText,
    MICROSOFT_APP_PASSWORD: optionalText,
    MICROSOFT_APP_TENANT_ID: optionalText,
    MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
    TEAMS_LOCAL: flag,
    CHECK_IN_DAYS: z.coerce.number().int('must be a whole number of days').min(1).max(3650).default(90),
    DIGEST_CHANNEL: optionalText,
    DIGEST_DAY: z.enum(WEEKDAYS, { message: `must be a weekday name (${WEEKDAYS.join(', ')})` }).default('monday'),
    DIGEST_HOUR: z.coerce.number().int().min(0, 'must be 0–23').max(23, 'must be 0–23').default(9),
    DIGEST_TZ: z.string().refine(validTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && env.DATABASE_PATH) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'and DATABASE_PATH are both set: set DATABASE_URL for PostgreSQL or DATABASE_PATH for a SQLite file, not both' });
    }
    const oauth = [env.SLACK_CLIENT_ID, env.SLACK_CLIENT_SECRET, env.SLACK_STATE_SECRET];
    if (oauth.some(Boolean)) {
      for (const [name, value] of [['SLACK_CLIENT_ID', env.SLACK_CLIENT_ID], ['SLACK_CLIENT_SECRET', env.SLACK_CLIENT_SECRET], ['SLACK_STATE_SECRET', env.SLACK_STATE_SECRET], ['SLACK_SIGNING_SECRET', env.SLACK_SIGNING_SECRET], ['TOKEN_ENCRYPTION_KEY', env.TOKEN_ENCRYPTION_KEY]] as const) {
        if (!value) ctx.addIssue({ code: 'custom', path: [name], message: 'must be set for Slack installs by OAuth (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_SIGNING_SECRET and TOKEN_ENCRYPTION_KEY go together)' });
      }
      if (env.SLACK_BOT_TOKEN) ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'must not be set with SLACK_CLIENT_ID: OAuth installs get each workspace its own token; use one or the other' });
      if (env.SLACK_APP_TOKEN) ctx.addIssue({ code: 'custom', path: ['SLACK_APP_TOKEN'], message: 'must not be set with SLACK_CLIENT_ID: Socket Mode serves one workspace; OAuth installs run over HTTP' });
    }
    if (!oauth.some(Boolean) && Boolean(env.SLACK_BOT_TOKEN) !== Boolean(env.SLACK_SIGNING_SECRET)) {
      const missing = env.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'must be set too: Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET' });
    }
    if (env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_PASSWORD && env.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_PASSWORD'], message: 'must be set when MICROSOFT_APP_ID is set' });
    }
    if (env.MICROSOFT_APP_TYPE === 'SingleTenant' && env.MICROSOFT_APP_ID && !env.MICROSOFT_APP_TENANT_ID) {
      ctx.addIssue({ code: 'custom', path: ['MICROSOFT_APP_TENANT_ID'], message: 'must be set for a SingleTenant app' });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** 32 bytes: encrypts the stored tokens. */
  encryptionKey: Buffer;
  /** The key before a rotation: records it sealed are still read, and re-sealed under the new key. */
  previousKey?: Buffer;
  installationCacheMs: number;
}

export interface Config extends Env {
  /** SQLite file unless `databaseUrl` is set. */
  databasePath: string;
  databaseUrl?: string;
  slack: { botToken?: string; signingSecret: string; appToken?: string; apiUrl?: string; oauth?: SlackOAuthConfig } | null;
  teams: { appId?: string; appPassword?: string; tenantId?: string; appType: Env['MICROSOFT_APP_TYPE']; local: boolean } | null;
  /** 127.0.0.1 when Teams runs with auth off: an open /api/messages would call any serviceUrl. */
  host: string;
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0] ?? 'environment');
      return `${name}: ${i.message}${name in cleaned && !/TOKEN|SECRET|PASSWORD/.test(name) ? ` (got "${String(cleaned[name])}")` : ''}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const env = parsed.data;
  const oauth: SlackOAuthConfig | undefined = env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET && env.SLACK_STATE_SECRET && env.TOKEN_ENCRYPTION_KEY
    ? {
        clientId: env.SLACK_CLIENT_ID,
        clientSecret: env.SLACK_CLIENT_SECRET,
        stateSecret: env.SLACK_STATE_SECRET,
        encryptionKey: Buffer.from(env.TOKEN_ENCRYPTION_KEY, 'base64'),
        ...(env.TOKEN_ENCRYPTION_KEY_PREVIOUS ? { previousKey: Buffer.from(env.TOKEN_ENCRYPTION_KEY_PREVIOUS, 'base64') } : {}),
        installationCacheMs: env.INSTALLATION_CACHE_MS,
      }
    : undefined;
  const apiUrl = env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {};
  const slack = oauth && env.SLACK_SIGNING_SECRET
    ? { signingSecret: env.SLACK_SIGNING_SECRET, oauth, ...apiUrl }
    : env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET
      ? { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}), ...apiUrl }
      : null;
  const teamsEnabled = Boolean(env.MICROSOFT_APP_ID) || env.TEAMS_LOCAL;
  const teams = teamsEnabled
    ? {
        ...(env.MICROSOFT_APP_ID ? { appId: env.MICROSOFT_APP_ID } : {}),
        ...(env.MICROSOFT_APP_PASSWORD ? { appPassword: env.MICROSOFT_APP_PASSWORD } : {}),
        ...(env.MICROSOFT_APP_TENANT_ID ? { tenantId: env.MICROSOFT_APP_TENANT_ID } : {}),
        appType: env.MICROSOFT_APP_TYPE,
        local: env.TEAMS_LOCAL && !env.MICROSOFT_APP_ID,
      }
    : null;
  const host = teams?.local ? '127.0.0.1' : env.HOST ?? '0.0.0.0';
  return { ...env, databasePath: env.DATABASE_PATH ?? './data/reality-check.db', ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}), slack, teams, host };
}
