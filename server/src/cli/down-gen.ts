/**
 * `pgmig down-gen <file> [--write] [--force]`: the DOWN for a migration's UP, generated from the
 * schema model of the migrations before it. Prints it, or with --write puts it where the folder's
 * runner reads it (a DOWN section in the file, or the `.down.sql` / `down.sql` / `U…` file).
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { ConfigError, loadSettings } from '../config/load';
import { generateDown } from '../downgen/generate';
import { renderDown } from '../downgen/render';
import { downEdits } from '../downgen/write';
import { folderOfFile, loadFolder, loadSingleFile } from '../folder/load';
import type { FormatId, Migration } from '../folder/model';
import { readSqlFile } from '../folder/read';
import { applyEditGroups } from '../linter/applyEdits';
import { replayMigration } from '../linter/lint';
import { initParser } from '../parser/parse';
import { Catalog } from '../schema/catalog';
import type { Io } from './io';
import { migrationFormatArg, parseCommandArgs, UsageError } from './args';

const HELP = `Usage: pgmig down-gen <file> [options]

Generates the DOWN migration that undoes the UP of <file>, from the schema model of the
migrations before it in its folder. Statements that cannot be undone (dropped data, enum
values) become TODO comments that say why.

Options:
  --write                   write the DOWN where the runner reads it (a DOWN section in the
                            file, or the .down.sql / down.sql / U file) instead of printing it
  --force                   with --write, replace a DOWN that already exists
  --migration-format <id>   the folder's runner format, when detection is not enough
  --config <file>           pgmig.json to read (default: the nearest one)
  -h, --help                show this help

Exit codes: 0 done, 1 not written (a DOWN exists, or the format keeps none), 2 usage or I/O error.
`;

export async function downGenCommand(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('down-gen', argv, io, HELP, {
    write: { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    'migration-format': { type: 'string' },
    config: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, positionals } = parsed;
  try {
    if (positionals.length !== 1) throw new UsageError('give exactly one migration file');
    if (v.force && !v.write) throw new UsageError('--force only goes with --write');
    const format = migrationFormatArg(v['migration-format']);
    const file = resolve(io.cwd, positionals[0]);
    if (!existsSync(file) || !statSync(file).isFile())
      throw new UsageError(`${positionals[0]}: no such file`);
    await initParser();
    const root = folderOfFile(file);
    const loaded = loadSettings({
      cwd: root,
      configPath: v.config && resolve(io.cwd, v.config),
      overrides: format ? { format } : {},
    });
    for (const w of loaded.warnings) io.stderr.write(`pgmig: warning: ${w}\n`);
    const found = findMigration(file, root, loaded.settings.format);
    if (found.note) io.stderr.write(`pgmig down-gen: ${found.note}\n`);
    return emit(found.migration, found.catalog, { write: v.write, force: v.force }, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      io.stderr.write(`pgmig down-gen: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

interface Found {
  migration: Migration;
  /** The schema model before the migration. */
  catalog: Catalog;
  note?: string;
}

/** The migration the file belongs to in its folder, with the model of the ones before it. */
function findMigration(file: string, root: string, format: FormatId | undefined): Found {
  const folder = loadFolder(root, { format });
  const catalog = new Catalog();
  for (const m of folder.migrations) {
    if (m.files.some((f) => resolve(f.path) === file)) return { migration: m, catalog };
    replayMigration(m, catalog);
  }
  const single = loadSingleFile(file, readSqlFile(file).text, format);
  return {
    migration: single,
    catalog: new Catalog(),
    note: `${relative(root, file)} is not a migration of a folder pgmig recognises; the DOWN is generated from this file alone`,
  };
}

function emit(
  m: Migration,
  before: Catalog,
  options: { write: boolean; force: boolean },
  io: Io,
): number {
  const ups = m.sections.filter((s) => s.kind === 'up');
  if (ups.length === 0) {
    io.stderr.write(`pgmig down-gen: ${m.label} has no UP section\n`);
    return 1;
  }
  const errors = ups.reduce((n, s) => n + s.parsed.errors.length, 0);
  if (errors > 0)
    io.stderr.write(
      `pgmig down-gen: ${errors} statement(s) of the UP do not parse and are not undone\n`,
    );
  const plan = generateDown(
    ups.flatMap((s) => s.parsed.statements),
    before,
    { migrationId: m.id },
  );
  const todos = plan.items.filter((i) => i.todo).length;
  if (todos > 0)
    io.stderr.write(
      `pgmig down-gen: ${todos} TODO${todos === 1 ? '' : 's'}: what the DOWN cannot undo is left for you to review\n`,
    );
  if (!options.write) {
    io.stdout.write(renderDown(plan, m.format));
    return 0;
  }
  const w = downEdits(m, plan, { replace: options.force });
  if ('error' in w) {
    io.stderr.write(
      `pgmig down-gen: ${w.error}${w.error.includes('already has') ? ' (--force replaces it)' : ''}\n`,
    );
    return 1;
  }
  for (const e of w.edits) {
    const problem = !e.createFile && existsSync(e.file) ? readSqlFile(e.file).problem : undefined;
    if (problem) {
      io.stderr.write(`pgmig down-gen: ${e.file}: ${problem}; not rewritten\n`);
      return 1;
    }
  }
  const read = (f: string) => (existsSync(f) ? readSqlFile(f).text : undefined);
  const { texts, skipped } = applyEditGroups([w.edits], read);
  if (skipped.length > 0) {
    io.stderr.write(`pgmig down-gen: ${w.file} appeared meanwhile; not overwritten\n`);
    return 1;
  }
  for (const [path, text] of texts) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  const how = w.replaces
    ? 'replaced the DOWN in'
    : w.kind === 'section'
      ? 'added a DOWN section to'
      : 'wrote';
  io.stdout.write(`pgmig: ${how} ${relative(io.cwd, w.file) || w.file}\n`);
  return 0;
}
