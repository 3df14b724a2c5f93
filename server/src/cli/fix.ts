/**
 * One `--fix` pass: every violation's preferred fix, applied where it does not overlap a fix
 * already taken (applyEditGroups), written to disk, or kept in memory for stdin.
 */
import { closeSync, existsSync, mkdirSync, openSync, readSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SourceFile } from '../folder/model';
import { readSqlFile } from '../folder/read';
import { applyEditGroups } from '../linter/applyEdits';
import type { Edit, Violation } from '../linter/types';

export const STDIN = '<stdin>';
export const MAX_FIX_PASSES = 10;

export interface FixPassInput {
  violations: readonly Violation[];
  /** The texts the violations' offsets refer to, by path. */
  sources: ReadonlyMap<string, SourceFile>;
  /** Files read with a problem (invalid UTF-8): rewriting them would lose their bytes. */
  unsafe: ReadonlySet<string>;
  /** stdin's current text, when linting stdin. */
  stdinText?: string;
}

export interface FixPassResult {
  applied: number;
  stdinText?: string;
  /** Files that could not be written. */
  errors: string[];
}

export function fixPass(input: FixPassInput): FixPassResult {
  const { sources, unsafe } = input;
  let stdinText = input.stdinText;
  const read = (file: string): string | undefined => {
    if (file === STDIN) return stdinText;
    const known = sources.get(file);
    if (known) return known.text;
    return existsSync(file) ? readSqlFile(file).text : undefined;
  };
  const editable = (v: Violation, e: Edit): boolean => {
    if (e.file === STDIN) return stdinText !== undefined;
    // SQL read from stdin has no folder: a fix must not touch files on disk
    if (v.file === STDIN || e.file.startsWith('<') || unsafe.has(e.file)) return false;
    if (e.createFile || sources.has(e.file)) return true;
    return existsSync(e.file) && !readSqlFile(e.file).problem;
  };
  const groups: Edit[][] = [];
  for (const v of input.violations) {
    const fix = v.fixes.find((f) => f.preferred);
    if (fix && fix.edits.length > 0 && fix.edits.every((e) => editable(v, e)))
      groups.push(fix.edits);
  }
  if (groups.length === 0) return { applied: 0, stdinText, errors: [] };
  const { texts, applied } = applyEditGroups(groups, read);
  const created = new Set(
    groups
      .flat()
      .filter((e) => e.createFile)
      .map((e) => e.file),
  );
  const errors: string[] = [];
  for (const [file, text] of texts) {
    if (file === STDIN) {
      stdinText = text;
      continue;
    }
    try {
      if (created.has(file)) {
        mkdirSync(dirname(file), { recursive: true });
        // 'wx': a file that appeared since the lint is never overwritten
        writeFileSync(file, text, { flag: 'wx' });
      } else {
        writeFileSync(file, hasBom(file) ? `\ufeff${text}` : text);
      }
    } catch (e) {
      errors.push(`${file}: cannot write: ${(e as Error).message}`);
    }
  }
  return { applied, stdinText, errors };
}

/** The texts were decoded without their byte order mark; a rewrite keeps it. */
function hasBom(file: string): boolean {
  const head = Buffer.alloc(3);
  const fd = openSync(file, 'r');
  try {
    return readSync(fd, head, 0, 3, 0) === 3 && head.equals(Buffer.from([0xef, 0xbb, 0xbf]));
  } finally {
    closeSync(fd);
  }
}
