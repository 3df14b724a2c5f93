/**
 * Which migration a path names and which migrations come before it: the migration folder the file
 * belongs to is loaded (with the open editor's text when given), so the earlier migrations can be
 * replayed in runner order. A file outside any known layout is a lone migration with no history.
 */
import { resolve } from 'node:path';
import { folderOfFile, isDirectory, loadFolder, loadSingleFile } from '../folder/load';
import type { FormatId, Migration, MigrationFolder } from '../folder/model';

export interface Target {
  folder?: MigrationFolder;
  migration: Migration;
  /** Migrations the runner applies before it, in order. */
  earlier: Migration[];
}

export class TargetError extends Error {}

export interface TargetOptions {
  format?: FormatId;
  /** Editor buffers by absolute path. */
  overlay?: Map<string, string>;
}

export function migrationTarget(path: string, options: TargetOptions = {}): Target {
  const abs = resolve(path);
  if (isDirectory(abs)) throw new TargetError(`${path} is a folder: name one migration file`);
  const folder = loadFolder(folderOfFile(abs), options);
  const i = folder.migrations.findIndex((m) => m.files.some((f) => f.path === abs));
  if (i >= 0)
    return { folder, migration: folder.migrations[i], earlier: folder.migrations.slice(0, i) };
  const text = options.overlay?.get(abs);
  if (text === undefined)
    throw new TargetError(`${path} is not a migration of the folder ${folder.root}`);
  return { migration: loadSingleFile(abs, text, options.format), earlier: [] };
}
