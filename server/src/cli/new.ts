/** `pgmig new <name> [folder]`: the next migration in the folder's own convention and format. */
import { relative, resolve } from 'node:path';
import { ConfigError, loadSettings } from '../config/load';
import { isDirectory, loadFolder } from '../folder/load';
import { initParser } from '../parser/parse';
import { createMigration, NewMigrationError } from '../runner/newMigration';
import type { Io } from './io';
import { migrationFormatArg, parseCommandArgs, UsageError } from './args';

const HELP = `Usage: pgmig new <name> [folder] [options]

Creates the next migration in the folder's naming convention and format (goose, dbmate,
golang-migrate, diesel, node-pg-migrate, plain -- UP/-- DOWN, …) with an empty UP and DOWN.

Options:
  --no-transaction                 mark it to run outside a transaction (goose NO TRANSACTION,
                                   dbmate transaction:false, diesel metadata.toml, …)
  --migration-format <format>      the format to use in an empty folder
  -h, --help                       show this help
`;

export async function newCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('new', argv, io, HELP, {
    'no-transaction': { type: 'boolean', default: false },
    'migration-format': { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  if (positionals.length < 1 || positionals.length > 2) {
    io.stderr.write('pgmig new: give a name, and optionally the folder\n');
    return 2;
  }
  try {
    const forced = migrationFormatArg(v['migration-format']);
    const loaded = loadSettings({
      cwd: io.cwd,
      configPath: v.config && resolve(io.cwd, v.config),
      overrides: forced ? { format: forced } : {},
    });
    const given = positionals[1];
    const configured = loaded.settings.migrations;
    const root =
      given !== undefined
        ? resolve(io.cwd, given)
        : configured.length === 1
          ? configured[0]
          : io.cwd;
    if (!isDirectory(root)) throw new ConfigError(`${given ?? root}: not a folder`);
    await initParser();
    const folder = loadFolder(root, { format: loaded.settings.format });
    const made = createMigration(folder, positionals[0], { transactional: !v['no-transaction'] });
    for (const f of made.files) io.stdout.write(`${relative(io.cwd, f) || f}\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UsageError || e instanceof NewMigrationError) {
      io.stderr.write(`pgmig new: ${e.message}\n`);
      return e instanceof NewMigrationError ? 1 : 2;
    }
    throw e;
  }
}
