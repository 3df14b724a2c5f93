/**
 * What `pgmig up/down/redo/status/resolve` share: the options, finding the migration folder (a
 * path, a file in it, or pgmig.json's single folder), pgmig.json's runner settings and named
 * connections, opening the database, and printing run events as a log.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ConfigError, loadSettings } from '../config/load';
import { openDatabase, type Database } from '../db/open';
import { resolveConnection } from '../db/resolve';
import { folderOfFile, isDirectory, loadFolder } from '../folder/load';
import type { MigrationFolder } from '../folder/model';
import { initParser } from '../parser/parse';
import { loadRunnerConfig, parseDuration } from '../runner/config';
import { formatFailure } from '../runner/failure';
import type { RunResult } from '../runner/runner';
import { Runner } from '../runner/runner';
import type { RunnerEvent, RunnerSettings } from '../runner/types';
import { wireRunResult } from '../runner/wire';
import { migrationFormatArg, textOrJsonArg, UsageError } from './args';
import type { Io } from './io';

export const COMMON_OPTIONS = {
  db: { type: 'string' },
  config: { type: 'string' },
  'lock-timeout': { type: 'string' },
  'lock-retries': { type: 'string' },
  'migration-format': { type: 'string' },
  format: { type: 'string', default: 'text' },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const COMMON_HELP = `  --db <url|name|memory|embedded>  the database (default: DATABASE_URL, then DATABASE_URL in
                                   .env, then the embedded scratch database in <folder>/.pgmig)
  --lock-timeout <duration>        session lock_timeout, e.g. 5s, 500ms (default 5s)
  --lock-retries <n>               retries after a lock timeout, with backoff (default 3)
  --migration-format <format>      force the folder's format instead of detecting it
  --config <pgmig.json>            configuration file (default: found from the folder upwards)
  --format text|json               output format
  -v, --verbose                    log every statement with its duration
`;

export interface CommonValues {
  db?: string;
  config?: string;
  'lock-timeout'?: string;
  'lock-retries'?: string;
  'migration-format'?: string;
  format?: string;
  verbose?: boolean;
}

const CANDIDATES = ['migrations', 'db/migrations', 'db/migrate', 'db/migration', 'sql/migrations'];

export interface Opened {
  folder: MigrationFolder;
  db: Database;
  runner: Runner;
  /** The file given instead of a folder. */
  file?: string;
  display(path: string): string;
  json: boolean;
  close(): Promise<void>;
}

function chooseFolder(
  given: string | undefined,
  io: Io,
  configured: string[],
): { root: string; file?: string } {
  if (given !== undefined) {
    const abs = resolve(io.cwd, given);
    if (!existsSync(abs)) throw new UsageError(`${given}: no such file or directory`);
    if (isDirectory(abs)) return { root: abs };
    return { root: folderOfFile(abs), file: abs };
  }
  if (configured.length === 1) return { root: configured[0] };
  if (configured.length > 1)
    throw new UsageError(
      `pgmig.json lists several migration folders; name one: ${configured.map((c) => relative(io.cwd, c) || '.').join(', ')}`,
    );
  for (const c of CANDIDATES)
    if (isDirectory(resolve(io.cwd, c))) return { root: resolve(io.cwd, c) };
  return { root: io.cwd };
}

export async function openForCli(
  values: CommonValues,
  pathArg: string | undefined,
  io: Io,
  signal?: AbortSignal,
): Promise<Opened> {
  const format = textOrJsonArg(values.format);
  const forced = migrationFormatArg(values['migration-format']);
  const first = pathArg !== undefined ? resolve(io.cwd, pathArg) : io.cwd;
  const configCwd = existsSync(first) ? (isDirectory(first) ? first : folderOfFile(first)) : io.cwd;
  const loaded = loadSettings({
    cwd: configCwd,
    configPath: values.config && resolve(io.cwd, values.config),
    overrides: forced ? { format: forced } : {},
  });
  for (const w of loaded.warnings) io.stderr.write(`pgmig: warning: ${w}\n`);
  const runnerConfig = loadRunnerConfig(loaded.configFile);
  const settings: Partial<RunnerSettings> = { ...runnerConfig.settings };
  try {
    if (values['lock-timeout'] !== undefined)
      settings.lockTimeoutMs = parseDuration(values['lock-timeout'], '--lock-timeout');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values['lock-retries'] !== undefined) {
    const n = Number(values['lock-retries']);
    if (!Number.isInteger(n) || n < 0)
      throw new UsageError('--lock-retries must be a whole number');
    settings.lockRetries = n;
  }
  const { root, file } = chooseFolder(pathArg, io, loaded.settings.migrations);
  await initParser();
  const folder = loadFolder(root, { format: loaded.settings.format });
  const resolved = resolveConnection({
    db: values.db,
    named: runnerConfig.connections,
    env: process.env,
    workspaceRoot: loaded.configFile ? loaded.baseDir : io.cwd,
    embeddedRoot: folder.root,
  });
  const json = format === 'json';
  if (!json) {
    const scratch =
      resolved.kind === 'server'
        ? ''
        : ' — a scratch database, not your server (use --db or DATABASE_URL)';
    io.stderr.write(`pgmig: ${resolved.label}${scratch}\n`);
  }
  const db = await openDatabase(resolved, { applicationName: 'pgmig' });
  const display = (p: string) => relative(io.cwd, p) || p;
  const runner = new Runner({
    folder,
    db,
    settings,
    signal,
    onEvent: json ? undefined : (e) => printEvent(e, io, display, values.verbose === true),
  });
  return { folder, db, runner, file, display, json, close: () => db.close() };
}

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`;
}

export function printEvent(
  e: RunnerEvent,
  io: Io,
  display: (p: string) => string,
  verbose: boolean,
): void {
  const out = io.stdout;
  switch (e.type) {
    case 'migration-start':
      out.write(
        `${e.direction === 'up' ? 'applying' : 'rolling back'} ${e.version} ${e.name}${e.transaction ? '' : ' (no transaction)'}\n`,
      );
      break;
    case 'statement-end':
      if (verbose)
        out.write(
          `  ${ms(e.durationMs).padStart(9)}  ${display(e.file)}:${e.line + 1}  ${e.text}\n`,
        );
      break;
    case 'migration-end':
      out.write(`  done in ${ms(e.durationMs)}\n`);
      break;
    case 'retry':
      out.write(`  lock timeout (${e.reason}); retry ${e.attempt} in ${ms(e.delayMs)}\n`);
      break;
    case 'lock-wait':
      out.write(
        `waiting for another migration run${e.holder ? ` (pid ${e.holder})` : ''} to finish…\n`,
      );
      break;
    case 'notice':
      out.write(`  ${e.severity}: ${e.message}\n`);
      break;
    default:
      break;
  }
}

/** Prints a run's outcome; returns the exit code. */
export function finishRun(r: RunResult, o: Opened, io: Io, what: string): number {
  if (o.json) {
    io.stdout.write(`${JSON.stringify(wireRunResult(r), null, 2)}\n`);
    return r.ok ? 0 : 1;
  }
  if (r.planned) {
    for (const p of r.planned) {
      io.stdout.write(
        `-- ${p.direction} ${p.version} ${p.name}${p.transactional ? ' (one transaction)' : ' (no transaction)'}\n`,
      );
      for (const s of p.statements) io.stdout.write(`${s};\n`);
    }
  }
  if (r.failure) {
    io.stderr.write(`pgmig: ${formatFailure(r.failure, o.display)}\n`);
    return 1;
  }
  if (!r.planned) {
    const total = r.done.reduce((a, d) => a + d.durationMs, 0);
    io.stdout.write(
      r.done.length === 0
        ? `nothing to ${what}\n`
        : `${r.done.length} migration(s) ${what === 'apply' ? 'applied' : 'done'} in ${ms(total)}\n`,
    );
  }
  return 0;
}

/** Runs a command body with the folder and database open, mapping errors to exit codes. */
export async function withRunner(
  values: CommonValues,
  pathArg: string | undefined,
  io: Io,
  body: (o: Opened) => Promise<number>,
): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => {
    io.stderr.write('pgmig: cancelling (Ctrl-C again to quit at once)…\n');
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  let opened: Opened | undefined;
  try {
    opened = await openForCli(values, pathArg, io, controller.signal);
    return await body(opened);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr.write(`pgmig: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`pgmig: ${(e as Error).message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await opened?.close().catch(() => {});
  }
}
