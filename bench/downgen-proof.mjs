// Proof by execution of generated DOWN migrations over the whole corpus, on the embedded
// database (PGlite, PostgreSQL 18): every project's migrations replayed in runner order; for each
// UP the generated DOWN must give the schema back exactly, and the hand-written DOWN (where there
// is one) is checked the same way. Prints one row per project and the reasons for the rest.
//   npm run bench:downgen                   every project
//   npm run bench:downgen -- hatchet        projects whose folder name contains "hatchet"
//   DOWNGEN_LIMIT=50 npm run bench:downgen  the first 50 migrations of each project
// Heavy (tens of minutes on two cores): run it when the figures are needed.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { corpusOrExit } from './corpus.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', 'out');
mkdirSync(out, { recursive: true });

const corpus = corpusOrExit(root);

// the harness is TypeScript shared with the test tier: bundle it once
const bundle = join(out, 'downgen-proof.bundle.mjs');
await esbuild.build({
  entryPoints: [join(root, 'test/db-downgen/proof.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // PGlite loads its WebAssembly and extensions from its package; libpg-query likewise
  external: ['@electric-sql/pglite', '@electric-sql/pglite/*', 'libpg-query'],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
const { proveFolders, reasonOf } = await import(pathToFileURL(bundle).href);

const filter = process.argv[2];
const limit = process.env.DOWNGEN_LIMIT ? Number(process.env.DOWNGEN_LIMIT) : undefined;
const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8'));
const projects = manifest.projects
  .filter((p) => !filter || p.corpus_dir.includes(filter))
  .sort((a, b) => a.files - b.files);

const rows = [];
const reasons = new Map();
const misses = [];
const started = performance.now();
for (const p of projects) {
  // a project's folders are one database's history (supabase/postgres: init scripts, migrations)
  const dirs = p.source_dirs.map((d) => join(corpus, p.corpus_dir, d));
  const name = p.corpus_dir;
  process.stderr.write(`${name} …\n`);
  const r = await proveFolders(dirs, name, { limit });
  const ms = r.migrations;
  const applied = ms.filter((m) => !m.upError && !m.unproven);
  const row = {
    project: name,
    format: r.format,
    migrations: ms.length,
    applied: applied.length,
    changing: applied.filter((m) => m.schemaChanged).length,
    reversible: applied.filter((m) => m.reversible).length,
    generated: applied.filter((m) => m.generatedRestores).length,
    reapplies: applied.filter((m) => m.reapplies).length,
    hand: applied.filter((m) => m.hasHandDown).length,
    handRestores: applied.filter((m) => m.handRestores).length,
    missed: applied.filter((m) => m.handRestores && !m.generatedRestores).length,
    wrong: applied.filter((m) => m.reversible && !m.generatedRestores).length,
    seconds: Math.round(r.ms / 1000),
  };
  rows.push(row);
  for (const m of ms) {
    // names folded: "relation … does not exist" is one reason, whichever relation
    const why = reasonOf(m)?.replace(/"[^"]*"/g, '"…"');
    if (why) reasons.set(why, (reasons.get(why) ?? 0) + 1);
    if (m.handRestores && !m.generatedRestores)
      misses.push(`${name} ${m.label}: ${m.generatedProblem ?? m.todos?.[0] ?? ''}`);
  }
  process.stderr.write(`  ${JSON.stringify(row)}\n`);
}

const cols = [
  ['project', 'project'],
  ['format', 'format'],
  ['migrations', 'migrations'],
  ['applied', 'apply on PGlite'],
  ['changing', 'change the schema'],
  ['reversible', 'reversible (no TODO)'],
  ['generated', 'restored by generated DOWN'],
  ['reapplies', 'UP re-applies after it'],
  ['hand', 'hand-written DOWN'],
  ['handRestores', 'restored by hand-written'],
  ['missed', 'hand restores, generated not'],
  ['wrong', 'no TODO yet not restored'],
  ['seconds', 's'],
];
const total = { project: 'total', format: '' };
for (const [k] of cols.slice(2)) total[k] = rows.reduce((n, r) => n + r[k], 0);
const table = [...rows, total];
const line = (cells) => `| ${cells.join(' | ')} |`;
console.log(line(cols.map(([, h]) => h)));
console.log(line(cols.map(([k]) => (k === 'project' || k === 'format' ? '---' : '---:'))));
for (const r of table) console.log(line(cols.map(([k]) => String(r[k]))));
console.log(`\nReasons a migration is not restored by its generated DOWN (count):`);
for (const [why, n] of [...reasons].sort((a, b) => b[1] - a[1]))
  console.log(`  ${String(n).padStart(5)}  ${why}`);
console.log(
  `\nMigrations whose hand-written DOWN restores the schema but the generated one does not: ${misses.length}`,
);
for (const m of misses) console.log(`  ${m}`);
console.log(`\nTotal time ${Math.round((performance.now() - started) / 1000)} s`);
writeFileSync(
  join(out, 'downgen-proof.json'),
  JSON.stringify({ rows, reasons: [...reasons], misses }, null, 1),
);
