/** Runs the CLI in-process with captured output. */
import { Readable } from 'node:stream';
import { runCli } from '../../../server/src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  argv: string[],
  opts: { cwd?: string; stdin?: string } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([Buffer.from(opts.stdin ?? '')]),
    cwd: opts.cwd ?? process.cwd(),
  });
  return { code, stdout, stderr };
}
