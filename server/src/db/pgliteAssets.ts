/**
 * Where PGlite's files are (pglite.wasm, pglite.data, the contrib extension bundles): next to
 * the pgmig bundle (scripts/build.mjs copies them there), or in the package when running from
 * source. The extensions listed here are the ones migrations commonly create.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * PGlite's contrib extensions that migrations commonly create. Their bundles sit next to
 * pglite.wasm: beside the pgmig bundle (copied by scripts/build.mjs), or in the package.
 */
export const EMBEDDED_EXTENSIONS = [
  'uuid-ossp',
  'pgcrypto',
  'citext',
  'hstore',
  'ltree',
  'pg_trgm',
  'btree_gin',
  'btree_gist',
  'fuzzystrmatch',
  'unaccent',
  'intarray',
  'cube',
  'earthdistance',
  'tablefunc',
  'isn',
  'seg',
  'lo',
  'tcn',
  'bloom',
  'tsm_system_rows',
];

let assetDir: string | undefined;

function pgliteAssets(): string {
  if (assetDir) return assetDir;
  const here = dirname(fileURLToPath(import.meta.url));
  assetDir = existsSync(join(here, 'pglite.wasm'))
    ? here
    : dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  return assetDir;
}

export function extensions(): Record<
  string,
  { name: string; setup: () => Promise<{ bundlePath: URL }> }
> {
  const dir = pgliteAssets();
  const out: Record<string, { name: string; setup: () => Promise<{ bundlePath: URL }> }> = {};
  for (const name of EMBEDDED_EXTENSIONS) {
    const file = join(dir, `${name}.tar.gz`);
    if (!existsSync(file)) continue;
    out[name.replace(/-/g, '_')] = {
      name,
      setup: async () => ({ bundlePath: pathToFileURL(file) }),
    };
  }
  return out;
}
