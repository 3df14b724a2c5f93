// Benchmark: apply crates.io's migrations (285, from the shared corpus) to fresh databases on the
// local PostgreSQL server with pgmig (dist/cli.js) and with dbmate, in the same run, and print the
// wall-clock times of the whole commands (process start to exit).
//
// dbmate cannot read diesel's layout (a directory per migration with up.sql/down.sql): it reads
// `<version>_<name>.sql` files with `-- migrate:up` / `-- migrate:down` sections. So the same SQL
// is converted into a temporary dbmate folder (version = diesel's, dashes removed; diesel's
// run_in_transaction = false becomes `transaction:false`). crates.io's migration 20170502181306
// runs `DROP TABLE IF EXISTS schema_migrations` (its pre-diesel history), which is dbmate's
// default history table, so dbmate keeps its history in `dbmate_migrations` (--migrations-table);
// pgmig keeps diesel's `__diesel_schema_migrations`. Both run the same SQL statements.
// The corpus keeps only .sql files, so crates.io's metadata.toml files are written back first for
// the migrations that build or drop an index CONCURRENTLY (as the test tier does).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { corpusOrExit } from './corpus.mjs';

const ROOT = join(import.meta.dirname, '..');
const CORPUS = corpusOrExit(ROOT);
const ADMIN = process.env.PGMIG_TEST_SERVER ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const RUNS = Number(process.env.RUNS ?? 3);
const CLI = join(ROOT, 'dist/cli.js');
const DBMATE = join(ROOT, 'node_modules/.bin/dbmate');

const work = mkdtempSync(join(tmpdir(), 'pgmig-bench-runner-'));
const diesel = join(work, 'diesel');
const dbmateDir = join(work, 'dbmate');
cpSync(join(CORPUS, 'rust-lang__crates.io/migrations'), diesel, { recursive: true });
mkdirSync(dbmateDir);
let count = 0;
for (const dir of readdirSync(diesel).sort()) {
  const read = (f) =>
    existsSync(join(diesel, dir, f)) ? readFileSync(join(diesel, dir, f), 'utf8') : '';
  const up = read('up.sql');
  const down = read('down.sql');
  const noTx = /\b(create|drop)\s+(unique\s+)?index\s+concurrently\b/i.test(`${up}\n${down}`);
  if (noTx) writeFileSync(join(diesel, dir, 'metadata.toml'), 'run_in_transaction = false\n');
  const [version, ...name] = dir.split('_');
  const flag = noTx ? ' transaction:false' : '';
  writeFileSync(
    join(dbmateDir, `${version.replace(/-/g, '')}_${name.join('_')}.sql`),
    `-- migrate:up${flag}\n${up}\n-- migrate:down${flag}\n${down}\n`,
  );
  count++;
}

async function admin(sql) {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

function urlFor(db) {
  const u = new URL(ADMIN);
  u.pathname = `/${db}`;
  return u.toString();
}

async function timed(label, db, cmd, args, check) {
  await admin(`DROP DATABASE IF EXISTS ${db}`);
  await admin(`CREATE DATABASE ${db}`);
  const t0 = performance.now();
  // /usr/bin/time reports the command's own CPU time, which a loaded machine does not inflate
  const r = existsSync('/usr/bin/time')
    ? spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', cmd, ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  if (r.status !== 0)
    throw new Error(`${label} failed (${r.status}):\n${r.stderr}\n${r.stdout.slice(-2000)}`);
  const cpu = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (cpu) cpuMs[label].push((Number(cpu[1]) + Number(cpu[2])) * 1000);
  const c = new pg.Client({ connectionString: urlFor(db) });
  await c.connect();
  const applied = Number((await c.query(check)).rows[0].n);
  await c.end();
  await admin(`DROP DATABASE ${db} WITH (FORCE)`);
  if (applied !== count) throw new Error(`${label}: ${applied} of ${count} migrations recorded`);
  return ms;
}

const results = { pgmig: [], dbmate: [] };
const cpuMs = { pgmig: [], dbmate: [] };
const loadBefore = loadavg()[0];
const dbmateVersion = execFileSync(DBMATE, ['--version'], { encoding: 'utf8' }).trim();
for (let i = 0; i < RUNS; i++) {
  results.pgmig.push(
    await timed(
      'pgmig',
      'pgmig_bench_a',
      process.execPath,
      [CLI, 'up', diesel, '--db', urlFor('pgmig_bench_a')],
      'SELECT count(*) AS n FROM __diesel_schema_migrations',
    ),
  );
  results.dbmate.push(
    await timed(
      'dbmate',
      'pgmig_bench_c',
      DBMATE,
      [
        '--url',
        `${urlFor('pgmig_bench_c')}?sslmode=disable`,
        '--migrations-dir',
        dbmateDir,
        '--migrations-table',
        'dbmate_migrations',
        '--no-dump-schema',
        'migrate',
      ],
      'SELECT count(*) AS n FROM dbmate_migrations',
    ),
  );
}

// the embedded database, for scale: one run (its first start includes PGlite's initdb)
const t0 = performance.now();
const emb = spawnSync(process.execPath, [CLI, 'up', diesel, '--db', 'memory'], {
  encoding: 'utf8',
});
const embeddedMs = performance.now() - t0;
if (emb.status !== 0) throw new Error(`pgmig on the embedded database failed:\n${emb.stderr}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `crates.io: ${count} migrations, ${RUNS} runs each, fresh database per run (${ADMIN.replace(/:[^:@/]*@/, '@')})`,
);
console.log(
  `${dbmateVersion}; pgmig ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}`,
);
for (const [label, xs] of Object.entries(results))
  console.log(
    `${label.padEnd(26)} median ${fmt(median(xs))}   runs: ${xs.map(fmt).join(', ')}` +
      (cpuMs[label].length ? `   (own CPU time, median ${fmt(median(cpuMs[label]))})` : ''),
  );
console.log(
  `${'pgmig, embedded (memory)'.padEnd(26)} ${fmt(embeddedMs)} (one run, includes starting PGlite)`,
);
console.log(
  `load average (1 min): ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`,
);
rmSync(work, { recursive: true, force: true });
