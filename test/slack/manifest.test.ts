import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { REDIRECT_PATH, SLACK_BOT_SCOPES, SLACK_COMMANDS, SLACK_EVENTS, SLACK_MESSAGE_SHORTCUTS } from '../../src/slack/app.js';

const schemaDir = join(PACKAGE_ROOT, 'test', 'fixtures', 'slack-manifest-schema');
const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const manifest = readJson(join(PACKAGE_ROOT, 'manifest.json')) as {
  features: { slash_commands: Array<{ command: string }>; shortcuts?: Array<{ name: string; type: string; callback_id: string }> };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean }; org_deploy_enabled?: boolean };
  oauth_config: { scopes: { bot: string[] }; redirect_urls?: string[] };
};

function validator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // The top-level schema refers to the versioned ones by their published URLs.
  ajv.addSchema(readJson(join(schemaDir, 'schemas', 'manifest.schema.1.0.0.json')), 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.1.0.0.json');
  ajv.addSchema(readJson(join(schemaDir, 'schemas', 'manifest.schema.2.0.0.json')), 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/manifest.schema.2.0.0.json');
  return ajv.compile(readJson(join(schemaDir, 'manifest.schema.json')));
}

/** Every Web API method the Slack surface calls and the bot scope Slack requires for it. */
const SCOPES_FOR_CALLS: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'users.info': 'users:read',
  'files.uploadV2': 'files:write',
};

describe('manifest.json', () => {
  it("validates against Slack's published JSON Schema", () => {
    const validate = validator();
    const ok = validate(manifest);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema really rejects a broken manifest', () => {
    const validate = validator();
    expect(validate({ ...manifest, display_information: { name: '' } })).toBe(false);
  });

  it('declares exactly the commands the code registers', () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual([...SLACK_COMMANDS].sort());
  });

  it('declares exactly the message shortcuts the code registers', () => {
    const declared = manifest.features.shortcuts ?? [];
    expect(declared.filter((s) => s.type === 'message').map((s) => s.callback_id).sort()).toEqual([...SLACK_MESSAGE_SHORTCUTS].sort());
    expect(declared.filter((s) => s.type !== 'message')).toEqual([]);
    expect(declared.map((s) => s.name)).toEqual(['Reality-check this']);
    // Shortcuts arrive as interactivity payloads: the request URL must be on.
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('subscribes to exactly the events the code listens to', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...SLACK_EVENTS].sort());
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('asks for exactly the bot scopes the code needs', () => {
    const needed = new Set(['commands', 'im:history', 'im:write', 'chat:write.public', ...Object.values(SCOPES_FOR_CALLS)]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    // An OAuth install asks Slack for the scopes the code names; they must be the manifest's.
    expect([...SLACK_BOT_SCOPES].sort()).toEqual([...needed].sort());
  });

  it('sends OAuth installs back to the path the app finishes them on, and allows org-wide installs', () => {
    expect(manifest.oauth_config.redirect_urls?.map((u) => new URL(u).pathname)).toEqual([REDIRECT_PATH]);
    expect(manifest.settings.org_deploy_enabled).toBe(true);
  });

  it('the code uses every method the scope table accounts for', () => {
    const source = ['listeners/actions/verdict.ts', 'deps.ts', 'dm-flow.ts', 'post.ts']
      .map((f) => readFileSync(join(PACKAGE_ROOT, 'src', 'slack', f), 'utf8'))
      .join('\n');
    expect(source).toContain('filesUploadV2');
    expect(source).toContain('users.info');
    expect(source).toContain('chat.update');
    expect(source).toContain('chat.postMessage');
  });
});
