/** `pgmig redo [folder]`: roll back the last applied migration and apply it again. */
import { COMMON_HELP, COMMON_OPTIONS, finishRun, withRunner } from './runnerSetup';
import type { Io } from './io';
import { parseCommandArgs } from './args';

const HELP = `Usage: pgmig redo [folder] [options]

Rolls back the last applied migration with its DOWN section and applies it again.

Options:
  --confirm <name>                 required on a protected connection: its name
  --dry-run                        print the statements that would run, change nothing
${COMMON_HELP}`;

export async function redoCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('redo', argv, io, HELP, {
    ...COMMON_OPTIONS,
    confirm: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) {
    io.stderr.write('pgmig redo: give one folder\n');
    return 2;
  }
  return withRunner(v, positionals[0], io, async (o) => {
    const r = await o.runner.redo({ dryRun: v['dry-run'], confirm: v.confirm });
    return finishRun(r, o, io, 'redo');
  });
}
