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
    DATABASE_PATH: z.string().min(1).default('./data/reality-check.db'),
    KNOWLEDGE_DIR: optionalText,
    PORT: z.coerce.number().int('must be a whole number').min(0).max(65535).default(3000),
    HOST: optionalText,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token starting with xoxb-').optional(),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token starting with xapp-').optional(),
    SLACK_API_URL: z.url('must be a URL such as https://slack.com/api/').optional(),
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
    if (Boolean(env.SLACK_BOT_TOKEN) !== Boolean(env.SLACK_SIGNING_SECRET)) {
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

export interface Config extends Env {
  slack: { botToken: string; signingSecret: string; appToken?: string; apiUrl?: string } | null;
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
  const slack = env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET
    ? { botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}), ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}) }
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
  return { ...env, slack, teams, host };
}
