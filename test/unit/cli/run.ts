/** Runs the CLI in-process with captured output, or the built bundle as a child process. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../../server/src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  argv: string[],
  opts: { cwd?: string; stdin?: string | Buffer } = {},
): Promise<CliRun> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (to: Buffer[]) => ({
    write: (s: string | Uint8Array) => to.push(Buffer.from(s)),
  });
  const code = await runCli(argv, {
    stdout: sink(out),
    stderr: sink(err),
    stdin: Readable.from([Buffer.from(opts.stdin ?? '')]),
    cwd: opts.cwd ?? process.cwd(),
  });
  return {
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}

/** Raw stdout bytes of an in-process run, for byte-exact checks. */
export async function cliBytes(
  argv: string[],
  opts: { cwd?: string; stdin?: string | Buffer } = {},
): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const out: Buffer[] = [];
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string | Uint8Array) => out.push(Buffer.from(s)) },
    stderr: { write: (s: string | Uint8Array) => (stderr += String(s)) },
    stdin: Readable.from([Buffer.from(opts.stdin ?? '')]),
    cwd: opts.cwd ?? process.cwd(),
  });
  return { code, stdout: Buffer.concat(out), stderr };
}

export const BUNDLE = join(__dirname, '../../../dist/cli.js');
export const hasBundle = existsSync(BUNDLE);

/** A test name that says why it is skipped when the bundle is missing. */
export function skipReason(name: string): string {
  return hasBundle ? name : `${name} [skipped: dist/cli.js is not built; npm test builds it]`;
}

/** Runs dist/cli.js in a child process, killed after `timeoutMs`. */
export function bundle(
  argv: string[],
  opts: { cwd?: string; stdin?: string; timeoutMs?: number } = {},
): CliRun & { ms: number; timedOut: boolean } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BUNDLE, ...argv], {
    cwd: opts.cwd,
    input: opts.stdin,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 1 << 30,
  });
  return {
    code: r.status ?? -1,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    ms: performance.now() - t0,
    timedOut: r.signal === 'SIGTERM',
  };
}

export const CIC = 'require-concurrent-index-creation';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: string;
  message: string;
  help: string | null;
  fixes: Array<{
    title: string;
    edits: Array<{
      file: string;
      startLine: number;
      startColumn: number;
      endLine: number;
      endColumn: number;
      newText: string;
      create?: boolean;
    }>;
  }>;
}
