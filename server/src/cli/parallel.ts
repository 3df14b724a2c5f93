/**
 * Linting several migration folders on several cores: each folder is independent (its own schema
 * model), so folders are shared out by size between this thread and worker threads running the
 * same bundle. Workers return located findings, never live objects.
 */
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LintOptions } from '../linter/lint';
import type { Severity } from '../linter/types';
import { locate, type Finding } from './findings';
import { runTargets, type Target } from './lint';

export interface ShareResult {
  findings: Finding[];
  severities: Severity[];
  files: number;
  migrations: number;
  statements: number;
  /** Folders, as given, in which no migration was found. */
  emptyFolders?: string[];
}

export interface WorkerRequest {
  pgmigLintWorker: true;
  targets: Target[];
  stdinText?: string;
  options: LintOptions;
  cwd: string;
}

// Below this much SQL a worker's start-up costs more than it saves.
const MIN_BYTES = 512 * 1024;

function sizeOf(path: string, depth = 0): number {
  let total = 0;
  try {
    for (const e of readdirSync(path, { withFileTypes: true })) {
      const p = join(path, e.name);
      if (e.isDirectory() && depth < 4 && !e.name.startsWith('.') && e.name !== 'node_modules')
        total += sizeOf(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('.sql')) total += statSync(p).size;
    }
  } catch {
    // unreadable folders are reported by the lint itself
  }
  return total;
}

let sizes: number[] | undefined;

/**
 * Threads to use: PGMIG_LINT_THREADS, else one per two cores (at most 4). A single lint thread
 * already keeps more than one core busy (V8's garbage collector and WebAssembly compiler run
 * beside it): on 2 cores a second lint thread measured slower (2.78 s against 2.53 s on the corpus).
 */
function threads(): number {
  const n = Number(process.env.PGMIG_LINT_THREADS);
  return Number.isInteger(n) && n > 0 ? n : Math.max(1, Math.min(availableParallelism() >> 1, 4));
}

export function shouldParallelize(targets: Target[]): boolean {
  if (targets.length < 2 || threads() < 2) return false;
  if (targets.some((t) => t.kind !== 'folder')) return false;
  sizes = targets.map((t) => sizeOf(t.root!));
  return sizes.reduce((a, b) => a + b, 0) >= MIN_BYTES;
}

/** Lints one share of targets in this thread and locates the findings. */
export function lintShare(
  targets: Target[],
  stdinText: string | undefined,
  options: LintOptions,
  cwd: string,
): ShareResult {
  const r = runTargets(targets, stdinText, options, cwd);
  return {
    findings: r.violations.map((v) => locate(v, r.sources, r.display)),
    severities: r.violations.map((v) => v.severity),
    files: r.files,
    migrations: r.migrations,
    statements: r.statements,
    emptyFolders: r.emptyFolders,
  };
}

export async function runInWorkers(
  targets: Target[],
  stdinText: string | undefined,
  options: LintOptions,
  cwd: string,
): Promise<ShareResult[]> {
  const n = Math.min(threads(), targets.length);
  const weights = sizes ?? targets.map(() => 1);
  // largest folders first, each to the least loaded share
  const order = targets.map((_, i) => i).sort((a, b) => weights[b] - weights[a]);
  const shares: number[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  for (const i of order) {
    const k = load.indexOf(Math.min(...load));
    shares[k].push(i);
    load[k] += weights[i];
  }
  const perTarget = new Array<ShareResult>(targets.length);
  const workers = shares.slice(1).map(
    (share) =>
      new Promise<void>((resolveShare, reject) => {
        const request: WorkerRequest = {
          pgmigLintWorker: true,
          targets: share.map((i) => targets[i]),
          stdinText,
          options,
          cwd,
        };
        const w = new Worker(__filename, { workerData: request });
        w.once('message', (results: ShareResult[]) => {
          share.forEach((i, k) => (perTarget[i] = results[k]));
          resolveShare();
        });
        w.once('error', reject);
        w.once('exit', (code) => {
          if (code !== 0) reject(new Error(`lint worker exited with ${code}`));
        });
      }),
  );
  for (const i of shares[0]) perTarget[i] = lintShare([targets[i]], stdinText, options, cwd);
  await Promise.all(workers);
  return perTarget;
}
