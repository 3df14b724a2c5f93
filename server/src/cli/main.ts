/**
 * The `pgmig` command line. `runCli` is the whole program with its streams passed in, so tests
 * run it in-process; the bundle's entry calls it with the process's own.
 */
import { version } from '../../../package.json';
import { initParser } from '../parser/parse';
import { COMMANDS } from './commands';
import type { Io } from './io';
import { lintShare, type WorkerRequest } from './parallel';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.synopsis.length)) + 2;
  const lines = COMMANDS.map((c) => `  ${c.synopsis.padEnd(width)} ${c.summary}`);
  return `Usage: pgmig <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'pgmig <command> --help' for a command's options.\n`;
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(usage());
    return command === undefined ? 2 : 0;
  }
  const found = COMMANDS.find((c) => c.name === command);
  if (!found) {
    io.stderr.write(`pgmig: unknown command '${command}'\n\n${usage()}`);
    return 2;
  }
  return found.run(rest, io);
}

if (require.main === module && isMainThread) {
  runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`pgmig: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}

// The same bundle runs as a lint worker thread (see cli/parallel.ts).
if (!isMainThread && (workerData as WorkerRequest | undefined)?.pgmigLintWorker) {
  const req = workerData as WorkerRequest;
  void initParser().then(() => {
    const results = req.targets.map((t) => lintShare([t], req.stdinText, req.options, req.cwd));
    parentPort!.postMessage(results);
  });
}
