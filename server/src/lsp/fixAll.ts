/**
 * "Fix all" for one migration, as `pgmig lint --fix` does it: take every preferred fix that does
 * not overlap another (the one edit applier), lint the result again, and repeat until nothing is
 * left to fix, in memory. Several fixes often want the same insertion (a runner's no-transaction
 * switch); the next pass finds it already there. Returns the final text of each file it changed
 * or created.
 */
import { MAX_FIX_PASSES } from '../cli/fix';
import { diffTexts } from '../parser/incremental';
import type { FixData } from '../protocol/server';
import { loadMigrationsOf } from '../folder/partial';
import { applyEditGroups } from '../linter/applyEdits';
import { lintMigration } from '../linter/lint';
import type { Edit } from '../linter/types';
import { withSectionParser } from '../parser/parse';
import type { FolderState } from './folderState';

export interface FixAllResult {
  /** New text of existing files that changed, by path. */
  changed: Map<string, string>;
  /** Content of files the fixes create, by path. */
  created: Map<string, string>;
  applied: number;
}

/**
 * @param texts current texts of the migration's files (open documents), by path.
 * @param exists whether a file exists on disk (created files must not).
 */
export function fixAllInMigration(
  state: FolderState,
  index: number,
  texts: Map<string, string>,
  exists: (path: string) => boolean,
): FixAllResult {
  const original = state.migration(index);
  const paths = original.files.map((f) => f.path);
  const working = new Map<string, string>();
  for (const f of original.files) working.set(f.path, texts.get(f.path) ?? f.text);
  const created = new Map<string, string>();
  let applied = 0;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const [migration] = withSectionParser(state.parser.parse, () =>
      loadMigrationsOf(state.folder, paths, working),
    );
    if (!migration) break;
    const violations = lintMigration(
      migration,
      state.catalogBefore(index),
      { settings: state.settings },
      state.folder,
    );
    const groups: Edit[][] = [];
    for (const v of violations) {
      const fix = v.fixes.find((f) => f.preferred);
      if (!fix || fix.edits.length === 0) continue;
      const editable = fix.edits.every((e) =>
        e.createFile
          ? !exists(e.file) && !created.has(e.file) && !working.has(e.file)
          : working.has(e.file) && state.readProblem(e.file) === undefined,
      );
      if (editable) groups.push(fix.edits);
    }
    if (groups.length === 0) break;
    const result = applyEditGroups(groups, (file) => working.get(file) ?? created.get(file));
    if (result.applied === 0) break;
    applied += result.applied;
    const newFiles = new Set(
      groups
        .flat()
        .filter((e) => e.createFile)
        .map((e) => e.file),
    );
    for (const [file, text] of result.texts) {
      if (newFiles.has(file) && !working.has(file)) created.set(file, text);
      else working.set(file, text);
    }
  }
  const changed = new Map<string, string>();
  for (const f of original.files) {
    const text = working.get(f.path)!;
    if (text !== (texts.get(f.path) ?? f.text)) changed.set(f.path, text);
  }
  return { changed, created, applied };
}

/** The result as one fix: the smallest replacement per changed file, and the created files. */
export function asFixData(
  result: FixAllResult,
  before: (path: string) => string,
  uriOf: (path: string) => string,
): FixData | undefined {
  if (result.applied === 0) return undefined;
  const edits: FixData['edits'] = [];
  for (const [path, text] of result.changed) {
    const d = diffTexts(before(path), text);
    if (d)
      edits.push({
        uri: uriOf(path),
        start: d.start,
        end: d.oldEnd,
        newText: text.slice(d.start, d.newEnd),
      });
  }
  for (const [path, text] of result.created)
    edits.push({ uri: uriOf(path), start: 0, end: 0, newText: text, create: true });
  return edits.length > 0
    ? {
        title: `Fix all pgmig problems (${result.applied} fix${result.applied === 1 ? '' : 'es'})`,
        edits,
      }
    : undefined;
}
