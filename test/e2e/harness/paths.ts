/** Where the e2e tier finds VS Code, the browser, the packaged extension, and where it writes. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found upwards: the harness also runs bundled from test-output/. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'pgmig')
      return dir;
    if (dirname(dir) === dir) throw new Error(`no pgmig package.json above ${from}`);
  }
}

export const ROOT = findRoot(__dirname);
export const CS_VERSION = process.env.CS_VERSION ?? '4.100.3';
export const CODE_SERVER =
  process.env.CODE_SERVER_BIN ??
  join(ROOT, '.vscode-test', `code-server-${CS_VERSION}`, 'node_modules', '.bin', 'code-server');
export const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const FIXTURES = join(ROOT, 'test/e2e/fixtures');
/** Screenshots and logs of the e2e runs (git-ignored). */
export const OUTPUT = process.env.E2E_OUTPUT ?? join(ROOT, 'test-output/e2e');

/** The .vsix `npm run package` builds (vsce's default name), or E2E_VSIX. */
export function packagedVsix(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const vsix = process.env.E2E_VSIX ?? join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`no packaged extension at ${vsix}: run npm run package`);
  return vsix;
}

export function checkProvisioned(): void {
  if (!existsSync(CODE_SERVER)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER}: run npm run e2e:setup`);
  }
  if (!existsSync(CHROME)) throw new Error(`no Chromium at ${CHROME}: run npm run e2e:setup`);
}
