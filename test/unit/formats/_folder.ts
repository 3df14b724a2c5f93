/**
 * Helpers for the format tests: load a folder written from a map of files, describe its migrations
 * compactly, and create a follow-up migration with the format's own newMigration.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { formatById } from '../../../server/src/folder/formats';
import { loadFolder, type LoadOptions } from '../../../server/src/folder/load';
import type { Migration, MigrationFolder, Section } from '../../../server/src/folder/model';
import { nextVersion } from '../../../server/src/folder/versions';
import { writeFolder } from '../helpers/lint';

/** Writes `files` to a fresh folder and loads it. */
export function load(
  files: Record<string, string>,
  options: LoadOptions = {},
): { root: string; folder: MigrationFolder } {
  const root = writeFolder(files);
  return { root, folder: loadFolder(root, options) };
}

/** `up:transaction:IndexStmt,CreateStmt` — one string per section. */
export function sectionShape(s: Section): string {
  return `${s.kind}:${s.transaction}:${s.parsed.statements.map((x) => x.kind).join(',')}`;
}

/** Each migration as `id [sections…]`, in folder order. */
export function shape(folder: MigrationFolder): string[] {
  return folder.migrations.map((m) => `${m.id} [${m.sections.map(sectionShape).join(' ')}]`);
}

/** Paths of a migration's files relative to `root`, POSIX style. */
export function relFiles(root: string, m: Migration): string[] {
  return m.files.map((f) => relative(root, f.path).split(sep).join('/'));
}

/**
 * Creates a migration right after `after` with the folder format's newMigration, writes its files,
 * and returns their paths relative to the root plus the reloaded folder.
 */
export function addAfter(
  root: string,
  folder: MigrationFolder,
  after: Migration,
  name: string,
  up: string,
  down: string | undefined,
  transactional: boolean,
): { written: string[]; reloaded: MigrationFolder } {
  const handler = formatById(folder.format);
  const version = nextVersion(folder, after);
  const files = handler.newMigration?.(root, after, version, name, up, down, { transactional });
  if (!files) throw new Error(`${folder.format} has no newMigration`);
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.text);
  }
  return {
    written: files.map((f) => relative(root, f.path).split(sep).join('/')),
    reloaded: loadFolder(root),
  };
}
