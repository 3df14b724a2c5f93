/**
 * What `pgmig trace` and `pgmig verify` share: their options, the configuration (format and named
 * connections from pgmig.json), the scratch database (`--db` chooses a development server; the
 * default is a fresh in-memory PGlite), and errors mapped to exit codes.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ConfigError, loadSettings } from '../config/load';
import { DbError } from '../db/errors';
import { resolveConnection } from '../db/resolve';
import type { NamedConnection, ResolvedConnection } from '../db/types';
import { ConnectionStringError } from '../db/url';
import { folderOfFile, isDirectory } from '../folder/load';
import type { FormatId } from '../folder/model';
import { initParser } from '../parser/parse';
import { loadRunnerConfig } from '../runner/config';
import { ReplayError } from '../trace/replay';
import { openScratch, ScratchError, type Scratch } from '../trace/scratch';
import { TargetError } from '../trace/target';
import { migrationFormatArg, textOrJsonArg, UsageError } from './args';
import type { Io } from './io';

export const SCRATCH_OPTIONS = {
  db: { type: 'string' },
  config: { type: 'string' },
  'migration-format': { type: 'string' },
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const SCRATCH_HELP = `  --db <url|name>                  a development server to measure on: pgmig creates a scratch
                                   database there and drops it after (needs CREATEDB; connections
                                   marked protected are refused). Default: an in-memory embedded
                                   PostgreSQL (PGlite)
  --migration-format <format>      force the folder's format instead of detecting it
  --config <pgmig.json>            configuration file (default: found from the path upwards)
  --format text|json               output format
`;

export interface ScratchValues {
  db?: string;
  config?: string;
  'migration-format'?: string;
  format?: string;
}

export interface ScratchSetup {
  path: string;
  format?: FormatId;
  json: boolean;
  connection?: ResolvedConnection;
  display(p: string): string;
}

export async function prepare(
  values: ScratchValues,
  pathArg: string,
  io: Io,
): Promise<ScratchSetup> {
  const format = textOrJsonArg(values.format);
  const forced = migrationFormatArg(values['migration-format']);
  const path = resolve(io.cwd, pathArg);
  if (!existsSync(path)) throw new UsageError(`${pathArg}: no such file or directory`);
  const loaded = loadSettings({
    cwd: isDirectory(path) ? path : folderOfFile(path),
    configPath: values.config && resolve(io.cwd, values.config),
    overrides: forced ? { format: forced } : {},
  });
  for (const w of loaded.warnings) io.stderr.write(`pgmig: warning: ${w}\n`);
  let named: NamedConnection[] = [];
  let connection: ResolvedConnection | undefined;
  if (values.db !== undefined) {
    named = loadRunnerConfig(loaded.configFile).connections;
    connection = resolveConnection({
      db: values.db,
      named,
      env: process.env,
      embeddedRoot: isDirectory(path) ? path : folderOfFile(path),
    });
  }
  await initParser();
  return {
    path,
    format: loaded.settings.format,
    json: format === 'json',
    connection,
    display: (p) => relative(io.cwd, p) || p,
  };
}

/** Opens the scratch database, runs `body`, closes it; maps errors to exit codes. */
export async function withScratch(
  command: string,
  values: ScratchValues,
  pathArg: string | undefined,
  io: Io,
  body: (setup: ScratchSetup, scratch: Scratch) => Promise<number>,
): Promise<number> {
  let scratch: Scratch | undefined;
  try {
    if (pathArg === undefined) throw new UsageError('give a migration file or folder');
    const setup = await prepare(values, pathArg, io);
    scratch = await openScratch(setup.connection);
    return await body(setup, scratch);
  } catch (e) {
    const usage =
      e instanceof UsageError ||
      e instanceof ConfigError ||
      e instanceof ConnectionStringError ||
      e instanceof TargetError;
    if (usage || e instanceof ScratchError || e instanceof DbError) {
      io.stderr.write(`pgmig ${command}: ${(e as Error).message}\n`);
      return 2;
    }
    if (e instanceof ReplayError) {
      io.stderr.write(
        `pgmig ${command}: cannot reach the migration on a scratch database: an earlier migration fails: ${e.message}\n`,
      );
      return 1;
    }
    throw e;
  } finally {
    await scratch?.close().catch(() => {});
  }
}
