/**
 * Where a fix may put a statement of its own before or after an existing one. goose (and
 * sql-migrate) send everything between `StatementBegin` and `StatementEnd` as one query string, so
 * a statement added inside such a block would share the block's implicit transaction — fatal next
 * to CONCURRENTLY. New statements go outside the block that wraps the statement instead.
 */
import type { SourceFile } from '../folder/model';
import type { Statement } from '../parser/parse';

const BEGIN = /^[ \t]*--[ \t]*\+(goose|migrate)[ \t]+StatementBegin\b/i;
const END = /^[ \t]*--[ \t]*\+(goose|migrate)[ \t]+StatementEnd\b/i;

function lineText(file: SourceFile, line: number): string {
  return file.text.slice(file.index.lineStart(line), file.index.lineEnd(line));
}

/**
 * The line start to insert before: the statement's own line, or the `StatementBegin` line right
 * above it (blank and comment lines in between allowed). Undefined when something else shares
 * the statement's line before it.
 */
export function insertionLineBefore(file: SourceFile, stmt: Statement): number | undefined {
  const line = file.index.lineAt(stmt.start);
  const ls = file.index.lineStart(line);
  if (!/^[ \t]*$/.test(file.text.slice(ls, stmt.start))) return undefined;
  for (let l = line - 1; l >= 0; l--) {
    const text = lineText(file, l);
    if (BEGIN.test(text)) return file.index.lineStart(l);
    if (!/^[ \t]*(--.*)?$/.test(text)) break;
  }
  return ls;
}

/**
 * The offset to insert after: the statement's terminator, or the end of the `StatementEnd` line
 * right below it (blank lines in between allowed).
 */
export function insertionPointAfter(file: SourceFile, stmt: Statement): number {
  const line = file.index.lineAt(stmt.terminatorEnd);
  if (!/^[ \t]*(--.*)?$/.test(file.text.slice(stmt.terminatorEnd, file.index.lineEnd(line))))
    return stmt.terminatorEnd;
  const last = file.index.lineAt(file.text.length);
  for (let l = line + 1; l <= last; l++) {
    const text = lineText(file, l);
    if (END.test(text)) return file.index.lineEnd(l);
    if (!/^[ \t]*$/.test(text)) break;
  }
  return stmt.terminatorEnd;
}
