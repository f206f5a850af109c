// The Teams app package: the manifest declares exactly the commands the bot answers and the scopes it
// serves, the icons have Teams' sizes (the outline white on transparent), and the zip builds or says why not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { APP_PACKAGE_DIR, buildAppPackage, ICONS, renderIcon, renderManifest } from '../../src/teams/package/app-package.js';
import { COMMANDS } from '../../src/teams/handlers/message.js';
import { MESSAGE_ACTION } from '../../src/teams/handlers/message-action.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

const APP_ID = '11111111-2222-4333-8444-555555555555';
const template = readFileSync(join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');

interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  name: { short: string; full: string };
  description: { short: string; full: string };
  developer: Record<string, string>;
  icons: { color: string; outline: string };
  bots: Array<{ botId: string; scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }> }>;
  composeExtensions?: Array<{ botId: string; commands: Array<{ id: string; type: string; title: string; description: string; context: string[]; fetchTask: boolean }> }>;
}

function pngSize(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

afterAll(() => removeTempDirs());

describe('Teams manifest', () => {
  const manifest = renderManifest(template, APP_ID) as unknown as Manifest;

  it('uses manifest schema 1.17 and takes the bot id from configuration', () => {
    expect(manifest.$schema).toBe('https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json');
    expect(manifest.manifestVersion).toBe('1.17');
    expect(template).toContain('"botId": "${{MICROSOFT_APP_ID}}"');
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]!.botId).toBe(APP_ID);
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('declares the personal, team and group chat scopes and exactly the commands the bot answers', () => {
    const bot = manifest.bots[0]!;
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    for (const list of bot.commandLists) {
      expect(list.scopes.every((s) => bot.scopes.includes(s))).toBe(true);
      expect(list.commands.length).toBeLessThanOrEqual(10);
      expect(list.commands.map((c) => c.title).sort()).toEqual([...COMMANDS].sort());
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(32);
        expect(c.description.length).toBeLessThanOrEqual(128);
      }
    }
  });

  it('declares the "Reality-check this" message action the bot answers, on its own bot id', () => {
    expect(manifest.composeExtensions).toHaveLength(1);
    const extension = manifest.composeExtensions![0]!;
    expect(extension.botId).toBe(APP_ID);
    expect(extension.commands).toEqual([
      { id: MESSAGE_ACTION, type: 'action', title: 'Reality-check this', description: expect.any(String), context: ['message'], fetchTask: true },
    ]);
    for (const c of extension.commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
      expect(c.id.length).toBeLessThanOrEqual(64);
    }
  });

  it('keeps within the schema’s limits', () => {
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.developer.name!.length).toBeLessThanOrEqual(32);
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(manifest.developer[key]).toMatch(/^https:\/\//);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
  });

  it('refuses a missing or malformed app id with what to set', () => {
    expect(() => renderManifest(template, undefined)).toThrow(ConfigError);
    expect(() => renderManifest(template, undefined)).toThrow(/MICROSOFT_APP_ID is not set.*--app-id/);
    expect(() => renderManifest(template, 'my-bot')).toThrow(/must be a GUID/);
  });
});

describe('Teams icons', () => {
  it.each([['color'], ['outline']] as const)('%s.png (committed and rendered) has the size Teams requires', (icon) => {
    const size = ICONS[icon].size;
    expect(pngSize(readFileSync(join(APP_PACKAGE_DIR, `${icon}.png`)))).toMatchObject({ width: size, height: size });
    expect(pngSize(renderIcon(APP_PACKAGE_DIR, icon))).toMatchObject({ width: size, height: size, colorType: 6 });
  });

  it('draws the outline icon in white on a transparent background', () => {
    const svg = readFileSync(join(APP_PACKAGE_DIR, ICONS.outline.svg), 'utf8');
    const pixels = new Resvg(svg, { fitTo: { mode: 'width', value: 32 }, background: 'rgba(0,0,0,0)' }).render().pixels;
    let drawn = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const alpha = pixels[i + 3]!;
      if (alpha === 0) continue;
      drawn++;
      // Premultiplied or not, a white pixel has equal channels at the top of its alpha.
      expect([pixels[i]!, pixels[i + 1]!, pixels[i + 2]!].every((c) => c >= alpha - 1)).toBe(true);
    }
    expect(drawn).toBeGreaterThan(50);
    expect(pixels[3]).toBe(0); // a corner is transparent
  });
});

describe('teams:package', () => {
  it('builds a zip with the manifest and both icons', async () => {
    const out = join(makeTempDir('rc-teams-package-'), 'reality-check.zip');
    const built = await buildAppPackage({ appId: APP_ID, out });
    expect(built.path).toBe(out);
    const zip = await JSZip.loadAsync(readFileSync(out));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
    expect(manifest.bots[0]!.botId).toBe(APP_ID);
    expect(pngSize(await zip.file('color.png')!.async('nodebuffer'))).toMatchObject({ width: 192, height: 192 });
    expect(pngSize(await zip.file('outline.png')!.async('nodebuffer'))).toMatchObject({ width: 32, height: 32 });
  });

  it('writes nothing without an app id', async () => {
    const out = join(makeTempDir('rc-teams-package-'), 'reality-check.zip');
    await expect(buildAppPackage({ appId: undefined, out })).rejects.toThrow(/MICROSOFT_APP_ID is not set/);
    expect(() => readFileSync(out)).toThrow();
  });
});
