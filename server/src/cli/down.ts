/** `pgmig down [folder|file]`: roll back the last N migrations, down to a version, or a file's. */
import { COMMON_HELP, COMMON_OPTIONS, finishRun, withRunner } from './runnerSetup';
import type { Io } from './io';
import { parseCommandArgs } from './args';

const HELP = `Usage: pgmig down [folder|file] [options]

Rolls back applied migrations, newest first, with their DOWN sections. Given a file, rolls back
its migration and every migration applied after it.

Options:
  -n <count>                       how many migrations to roll back (default 1)
  --to <version>                   roll back everything applied after this version (0: all)
  --confirm <name>                 required on a protected connection: its name
  --dry-run                        print the statements that would run, change nothing
${COMMON_HELP}`;

export async function downCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('down', argv, io, HELP, {
    ...COMMON_OPTIONS,
    n: { type: 'string', short: 'n' },
    to: { type: 'string' },
    confirm: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) {
    io.stderr.write('pgmig down: give one folder or file\n');
    return 2;
  }
  let count: number | undefined;
  if (v.n !== undefined) {
    count = Number(v.n);
    if (!Number.isInteger(count) || count < 1) {
      io.stderr.write('pgmig down: -n must be a positive whole number\n');
      return 2;
    }
  }
  if ([count !== undefined, v.to !== undefined].filter(Boolean).length > 1) {
    io.stderr.write('pgmig down: give -n or --to, not both\n');
    return 2;
  }
  return withRunner(v, positionals[0], io, async (o) => {
    const r = await o.runner.down({
      count,
      to: v.to,
      file: o.file,
      dryRun: v['dry-run'],
      confirm: v.confirm,
    });
    return finishRun(r, o, io, 'roll back');
  });
}
