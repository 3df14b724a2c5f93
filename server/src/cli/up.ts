/** `pgmig up [folder|file]`: apply pending migrations (all, up to --to, or up to a given file). */
import { COMMON_HELP, COMMON_OPTIONS, finishRun, withRunner } from './runnerSetup';
import type { Io } from './io';
import { parseCommandArgs } from './args';

const HELP = `Usage: pgmig up [folder|file] [options]

Applies pending migrations in the runner's order, each in one transaction with its history row
when its format allows, and writes the history the way the folder's own runner does. Given a
file, applies the pending migrations up to and including it.

Options:
  --to <version>                   apply up to and including this version
  --dry-run                        print what would run, change nothing
${COMMON_HELP}`;

export async function upCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('up', argv, io, HELP, {
    ...COMMON_OPTIONS,
    to: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) {
    io.stderr.write('pgmig up: give one folder or file\n');
    return 2;
  }
  return withRunner(v, positionals[0], io, async (o) => {
    const r = await o.runner.up({ to: v.to, file: o.file, dryRun: v['dry-run'] });
    return finishRun(r, o, io, 'apply');
  });
}
