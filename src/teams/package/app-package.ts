// Builds the Teams app package to upload: appPackage/manifest.json with the bot's app id filled in,
// the two icons rendered from their SVG sources, zipped as appPackage/build/reality-check.zip.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import JSZip from 'jszip';
import { ConfigError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';

export const APP_PACKAGE_DIR = join(PACKAGE_ROOT, 'appPackage');
export const DEFAULT_OUT = join(APP_PACKAGE_DIR, 'build', 'reality-check.zip');
const PLACEHOLDER = /\$\{\{MICROSOFT_APP_ID\}\}/g;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ICONS = { color: { svg: 'icons/color.svg', size: 192 }, outline: { svg: 'icons/outline.svg', size: 32 } } as const;

export interface BuildOptions {
  appId: string | undefined;
  appDir?: string;
  out?: string;
}

/** The manifest with the app id filled in; refuses a missing or malformed id with what to do. */
export function renderManifest(template: string, appId: string | undefined): Record<string, unknown> {
  if (!appId) throw new ConfigError('MICROSOFT_APP_ID is not set. Set it to the bot\'s Microsoft App ID (a GUID from Azure Bot / the Teams Developer Portal), or pass --app-id <id>.');
  if (!GUID.test(appId)) throw new ConfigError(`MICROSOFT_APP_ID must be a GUID such as 00000000-0000-0000-0000-000000000000; got "${appId}".`);
  return JSON.parse(template.replace(PLACEHOLDER, appId)) as Record<string, unknown>;
}

/** An icon as PNG from its SVG source, at exactly the size Teams requires. */
export function renderIcon(appDir: string, icon: keyof typeof ICONS): Buffer {
  const { svg, size } = ICONS[icon];
  const resvg = new Resvg(readFileSync(join(appDir, svg), 'utf8'), { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)' });
  return Buffer.from(resvg.render().asPng());
}

export async function buildAppPackage(options: BuildOptions): Promise<{ path: string; manifest: Record<string, unknown>; bytes: number }> {
  const appDir = options.appDir ?? APP_PACKAGE_DIR;
  const out = options.out ?? DEFAULT_OUT;
  const manifest = renderManifest(readFileSync(join(appDir, 'manifest.json'), 'utf8'), options.appId);
  const zip = new JSZip();
  // A fixed date keeps the zip byte-identical for the same inputs.
  const file = { date: new Date('2025-01-01T00:00:00Z') };
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, file);
  zip.file('color.png', renderIcon(appDir, 'color'), file);
  zip.file('outline.png', renderIcon(appDir, 'outline'), file);
  const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, data);
  return { path: out, manifest, bytes: data.length };
}

/** Writes the rendered icons next to the manifest, for uploading through the Developer Portal by hand. */
export function writeIcons(appDir = APP_PACKAGE_DIR): void {
  for (const icon of Object.keys(ICONS) as Array<keyof typeof ICONS>) writeFileSync(join(appDir, `${icon}.png`), renderIcon(appDir, icon));
}
