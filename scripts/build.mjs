// Bundles the three entry points with esbuild. libpg-query loads its .wasm from the directory of
// the script that contains it, so the .wasm is copied next to the bundles.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, chmodSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { 'import.meta.url': 'import_meta_url' },
  inject: ['scripts/import-meta-url.mjs'],
};

const entries = [
  {
    entryPoints: ['server/src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
];

mkdirSync('dist', { recursive: true });
const wasm = join(dirname(require.resolve('libpg-query')), 'libpg-query.wasm');
copyFileSync(wasm, 'dist/libpg-query.wasm');
// PGlite (the embedded database) loads these from the directory of the bundle that contains it
const pglite = dirname(require.resolve('@electric-sql/pglite'));
for (const f of ['pglite.wasm', 'pglite.data', 'initdb.wasm'])
  copyFileSync(join(pglite, f), `dist/${f}`);
// the contrib extensions the embedded database offers (server/src/db/pgliteAssets.ts)
const embedded = readFileSync('server/src/db/pgliteAssets.ts', 'utf8');
const list = embedded.slice(embedded.indexOf('EMBEDDED_EXTENSIONS'), embedded.indexOf('];'));
for (const [, name] of list.matchAll(/'([a-z_-]+)'/g))
  copyFileSync(join(pglite, `${name}.tar.gz`), `dist/${name}.tar.gz`);

if (watch) {
  for (const e of entries) {
    const ctx = await esbuild.context({ ...common, ...e });
    await ctx.watch();
  }
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  chmodSync('dist/cli.js', 0o755);
}
