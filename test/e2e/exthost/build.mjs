// Bundles the extension-host tier into test-output/e2e-build/: the test-electron entry, the
// code-server shim it uses as "VS Code executable", and the mocha suite that runs inside the
// extension host (one bundle per test file, so mocha loads them after it set up its globals).
import * as esbuild from 'esbuild';
import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '../../../test-output/e2e-build');
rmSync(out, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  // Resolved at run time from the repository's node_modules (or, for vscode, the extension host).
  external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron'],
};
const suite = readdirSync(join(here, 'suite'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => join(here, 'suite', f));

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: [join(here, 'runTest.ts')],
    outfile: join(out, 'runTest.js'),
  }),
  esbuild.build({
    ...common,
    entryPoints: [join(here, 'codeShim.ts')],
    outfile: join(out, 'code-shim.js'),
    banner: { js: '#!/usr/bin/env node' },
  }),
  esbuild.build({ ...common, entryPoints: suite, outdir: join(out, 'suite') }),
]);
chmodSync(join(out, 'code-shim.js'), 0o755);
