// Whole-corpus lint time: pgmig (the built CLI) and squawk 2.66 (squawk-cli's native binary) lint
// the same migration files in the same run. Prints files/s and statements/s for both.
//   npm run bench            (builds first)
//   BENCH_RUNS=7 npm run bench
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusOrExit } from './corpus.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const runs = Number(process.env.BENCH_RUNS ?? 5);

const corpus = corpusOrExit(root);
const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8'));
const dirs = manifest.projects.flatMap((p) =>
  p.source_dirs.map((d) => join(corpus, p.corpus_dir, d)),
);
const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.sql')) files.push(p);
  }
};
dirs.forEach(walk);

const squawkPkg = dirname(require.resolve('squawk-cli/package.json'));
const squawkBin = [
  join(squawkPkg, '..', '@squawk-cli', 'linux-x64', 'bin', 'squawk'),
  join(squawkPkg, 'node_modules', '@squawk-cli', 'linux-x64', 'bin', 'squawk'),
].find(existsSync);

function time(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`${cmd} exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  }
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cli = join(root, 'dist', 'cli.js');
const cacheDir = mkdtempSync(join(tmpdir(), 'pgmig-bench-cache-'));
const pgmigArgs = [cli, 'lint', ...dirs, '--format', 'json', '--stats'];

// cold: every folder linted from scratch; cached: unchanged folders served from the lint cache
function runPgmig(extra) {
  const times = [];
  let out;
  for (let i = 0; i < runs; i++) {
    const r = time(process.execPath, [...pgmigArgs, ...extra]);
    times.push(r.ms);
    const line = r.stderr.split('\n').find((l) => l.startsWith('{"stats"'));
    out = {
      stats: JSON.parse(line).stats,
      findings: JSON.parse(r.stdout).length,
      stdout: r.stdout,
    };
  }
  return { times, ...out };
}
const cold = runPgmig(['--no-cache']);
time(process.execPath, [...pgmigArgs, '--cache-dir', cacheDir]);
const warm = runPgmig(['--cache-dir', cacheDir]);
rmSync(cacheDir, { recursive: true, force: true });
if (warm.stdout !== cold.stdout) {
  console.error('cached output differs from a cold run');
  process.exit(1);
}
const stats = cold.stats;
const pgmigTimes = cold.times;
const pgmigFindings = cold.findings;

const squawkTimes = [];
let squawkFindings = 0;
if (squawkBin) {
  for (let i = 0; i < runs; i++) {
    const r = time(squawkBin, ['--reporter', 'json', ...files]);
    squawkTimes.push(r.ms);
    squawkFindings = JSON.parse(r.stdout || '[]').length;
  }
}

// what parsing alone costs with the parser pgmig must use: no rule, no schema model
const floorTimes = { 1: [], 2: [] };
for (const workers of [1, 2])
  for (let i = 0; i < runs; i++)
    floorTimes[workers].push(
      time(process.execPath, [
        join(root, 'bench', 'parse-floor.mjs'),
        '--workers',
        String(workers),
        ...files,
      ]).ms,
    );

const row = (name, ms, findings) =>
  `${name.padEnd(22)} ${ms.toFixed(0).padStart(7)} ms ${(files.length / (ms / 1000)).toFixed(0).padStart(8)} files/s ${(stats.statements / (ms / 1000)).toFixed(0).padStart(9)} statements/s ${String(findings).padStart(7)} findings`;

console.log(
  `corpus: ${files.length} files in ${dirs.length} migration folders, ${stats.statements} statements (pgmig's count), ${runs} runs, median wall time incl. process start`,
);
console.log(row('pgmig lint (cold)', median(pgmigTimes), pgmigFindings));
console.log(row('pgmig lint (cached)', median(warm.times), warm.findings));
if (squawkBin) console.log(row('squawk 2.66 (native)', median(squawkTimes), squawkFindings));
else console.log('squawk: binary not found (npm install squawk-cli)');
console.log(row('parse only, 1 thread', median(floorTimes[1]), '—'));
console.log(row('parse only, 2 threads', median(floorTimes[2]), '—'));
if (squawkBin)
  console.log(
    `pgmig / squawk time ratio: cold ${(median(pgmigTimes) / median(squawkTimes)).toFixed(2)}, cached ${(median(warm.times) / median(squawkTimes)).toFixed(2)}`,
  );
console.log(
  'parse only: Node starting, libpg-query loading and parsing every file once (its parseSync, the tree every rule reads), nothing else; the least any linter on this parser spends',
);
console.log(`pgmig in-process: ${JSON.stringify(stats)}`);
