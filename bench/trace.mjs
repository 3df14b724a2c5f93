// Trace and verify time for a whole corpus project folder (authelia: 26 golang-migrate pairs that
// apply cleanly), on the embedded database and, when reachable, on the PostgreSQL server; with
// the process start and an empty trace as the baseline. Prints median wall times of the built CLI.
//   npm run bench:trace            (builds first)
//   BENCH_RUNS=5 PGMIG_BENCH_DB=postgres://… npm run bench:trace
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusOrExit } from './corpus.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const server = process.env.PGMIG_BENCH_DB ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const corpus = corpusOrExit(root);
const project = 'authelia__authelia';
const folder = join(corpus, project, 'internal/storage/migrations/postgres');
const cli = join(root, 'dist', 'cli.js');

function run(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`pgmig ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  return { ms, out: JSON.parse(r.stdout) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(args) {
  const times = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const r = run(args);
    times.push(r.ms);
    out = r.out;
  }
  return { ms: median(times), out };
}

const reachable = await new Promise((done) => {
  const u = new URL(server.replace(/^postgres(ql)?:/, 'http:'));
  const s = createConnection({ host: u.hostname, port: Number(u.port || 5432) });
  s.once('connect', () => {
    s.destroy();
    done(true);
  });
  s.once('error', () => done(false));
});

const empty = mkdtempSync(join(tmpdir(), 'pgmig-bench-trace-'));
writeFileSync(
  join(empty, '001_noop.sql'),
  '-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n',
);

const targets = [['embedded (PGlite, in memory)', []]];
if (reachable) targets.push([`server (${server.replace(/:[^:@/]*@/, '@')})`, ['--db', server]]);
else console.log(`server ${server} not reachable: embedded only`);

console.log(
  `${project}: ${folder.slice(corpus.length + 1)} — ${runs} runs, median wall time of the built CLI incl. process start; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
for (const [name, db] of targets) {
  const base = measure(['trace', join(empty, '001_noop.sql'), ...db]);
  const trace = measure(['trace', folder, ...db]);
  const verify = measure(['verify', folder, ...db]);
  const results = trace.out.results;
  const statements = results.reduce(
    (n, r) => n + r.sections.reduce((m, s) => m + s.statements.length, 0),
    0,
  );
  const differ = results.reduce(
    (n, r) =>
      n +
      r.sections.reduce((m, s) => m + s.statements.filter((t) => t.disagreements.length).length, 0),
    0,
  );
  const verdicts = verify.out.migrations;
  const restored = verdicts.filter((v) => v.status === 'restored').length;
  const version = base.out.server.version;
  console.log(`\n${name}, PostgreSQL ${version}`);
  console.log(`  start + empty trace    ${base.ms.toFixed(0).padStart(7)} ms`);
  console.log(
    `  trace whole folder     ${trace.ms.toFixed(0).padStart(7)} ms  ${results.length} migrations, ${statements} statements (${(statements / ((trace.ms - base.ms) / 1000)).toFixed(0)} statements/s beyond start), ${differ} differ from the static verdict`,
  );
  console.log(
    `  verify whole folder    ${verify.ms.toFixed(0).padStart(7)} ms  ${verdicts.length} migrations, ${restored} round-trip exactly (4 snapshots and 3 applies per migration)`,
  );
}
rmSync(empty, { recursive: true, force: true });
