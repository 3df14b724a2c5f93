/**
 * Re-loading a few files of a known folder without listing or re-parsing the rest: what a fix
 * check, `--fix` and (later) the language server need after an edit.
 */
import { relative, sep } from 'node:path';
import { makeListing, unknownMigration, type ReadProblems } from './load';
import { formatById } from './formats';
import type { Migration, MigrationFolder } from './model';

/**
 * The migrations that `files` (absolute paths) form in `folder`'s format, with `overlay` texts
 * taking the place of the files on disk. Files that form no migration are left out.
 */
export function loadMigrationsOf(
  folder: MigrationFolder,
  files: string[],
  overlay: Map<string, string>,
  problems: ReadProblems = new Map(),
): Migration[] {
  const rels = files.map((f) => relative(folder.root, f).split(sep).join('/')).sort();
  const listing = makeListing(folder.root, rels, problems, overlay);
  if (folder.format === 'unknown') {
    return rels.filter((r) => r.endsWith('.sql')).map((r) => unknownMigration(listing.read(r), r));
  }
  return formatById(folder.format).load(listing).migrations;
}
