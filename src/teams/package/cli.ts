// `npm run teams:package [-- --app-id <guid>] [--out <file>] [--write-icons]`: builds the Teams app
// zip; without an app id (flag or MICROSOFT_APP_ID) it stops and says what to set.
import { isAppError } from '../../errors.js';
import { buildAppPackage, writeIcons } from './app-package.js';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--write-icons')) writeIcons();
  const appId = flag(args, '--app-id') ?? (process.env.MICROSOFT_APP_ID || undefined);
  const out = flag(args, '--out');
  const built = await buildAppPackage({ appId, ...(out ? { out } : {}) });
  process.stdout.write(`Teams app package: ${built.path} (${built.bytes} bytes). Upload it in Teams → Apps → Manage your apps → Upload an app.\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`teams:package: ${isAppError(error) ? error.message : error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
