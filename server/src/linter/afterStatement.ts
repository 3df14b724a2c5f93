/**
 * Edits that add SQL right after a statement, for fixes that split one statement into several
 * steps that may share its transaction.
 */
import { insert } from './fixes';
import { lineBreakOf } from '../text/positions';
import type { Edit, StatementContext } from './types';

/** Lines inserted right after the statement (and its semicolon, added when missing). */
export function insertAfterStatement(ctx: StatementContext, lines: string[]): Edit {
  const { stmt, file } = ctx;
  const nl = lineBreakOf(file.text);
  const semi = stmt.terminatorEnd > stmt.end ? '' : ';';
  return insert(file, stmt.terminatorEnd, `${semi}${nl}${lines.join(nl)}`);
}

/** Inserts at one offset become one edit, in list order, so no editor can reorder them. */
export function mergeInserts(edits: Edit[]): Edit[] {
  const out: Edit[] = [];
  for (const e of edits) {
    const same = out.find(
      (o) =>
        !o.createFile &&
        !e.createFile &&
        o.file === e.file &&
        o.start === o.end &&
        o.start === e.start &&
        e.end === e.start,
    );
    if (same) same.newText += e.newText;
    else out.push({ ...e });
  }
  return out;
}
