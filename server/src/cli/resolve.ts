/** `pgmig resolve <version> [folder]`: unblock runs after a migration failed half-way. */
import type { ResolveAction } from '../runner/runner';
import { COMMON_HELP, COMMON_OPTIONS, finishRun, withRunner } from './runnerSetup';
import type { Io } from './io';
import { parseCommandArgs } from './args';

const HELP = `Usage: pgmig resolve <version> [folder] --retry|--applied|--not-applied [options]

A migration that failed outside a transaction is recorded as failed and blocks further runs.
After fixing the cause:
  --retry                          run it again (statements that completed and are unchanged in
                                   the file are skipped)
  --applied                        record it as applied (you finished it by hand)
  --not-applied                    record it as not applied (you undid its partial work by hand)

Options:
${COMMON_HELP}`;

export async function resolveCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('resolve', argv, io, HELP, {
    ...COMMON_OPTIONS,
    retry: { type: 'boolean', default: false },
    applied: { type: 'boolean', default: false },
    'not-applied': { type: 'boolean', default: false },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  const actions: ResolveAction[] = [];
  if (v.retry) actions.push('retry');
  if (v.applied) actions.push('applied');
  if (v['not-applied']) actions.push('not-applied');
  if (positionals.length < 1 || positionals.length > 2 || actions.length !== 1) {
    io.stderr.write(
      'pgmig resolve: give a version and exactly one of --retry, --applied, --not-applied\n',
    );
    return 2;
  }
  return withRunner(v, positionals[1], io, async (o) => {
    const r = await o.runner.resolve(positionals[0], actions[0]);
    return finishRun(r, o, io, 'resolve');
  });
}
