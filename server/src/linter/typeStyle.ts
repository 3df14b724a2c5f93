/**
 * The engine of the column type style rules: each rule judges the types a statement writes and
 * says what to report and which replacement, if any, is safe where the type is written. DOWN
 * sections are not judged: they restore what was there before, whatever its style.
 */
import { rangeVarName } from '../parser/ast';
import {
  columnTypeUses,
  normalizedTypeText,
  replaceableInPlace,
  replaceType,
  typeText,
  type ColumnTypeUse,
} from './columnTypes';
import { disableForLine } from './fixes';
import type { Fix, StatementContext } from './types';

export interface TypeVerdict {
  message: string;
  help: string;
  /** Replacement text for the written type, when the rule has a mechanical one. */
  replacement?: { title: string; text: string; preferred: boolean };
  /** Further fixes offered (not preferred). */
  alternatives?: Array<{ title: string; text: string }>;
}

export interface TypeJudge {
  /** Cheap test on the parse tree: only flagged types cost a look at the source. */
  flags(use: ColumnTypeUse): boolean;
  /**
   * The verdict for a flagged type; `written` is its source text normalized (lower case, single
   * spaces), undefined when it could not be located.
   */
  verdict(
    use: ColumnTypeUse,
    where: string,
    written: string | undefined,
    ctx: StatementContext,
  ): TypeVerdict;
  /** Foreign keys on the column do not stand in the way of the replacement (int → bigint). */
  allowForeignKeys?: boolean;
}

export function checkColumnTypes(ctx: StatementContext, rule: string, judge: TypeJudge): void {
  if (ctx.section.kind === 'down') return;
  const uses = columnTypeUses(ctx.stmt);
  if (uses.length === 0) return;
  const table = rangeVarName(ctx.stmt.ast.relation).name;
  for (const use of uses) {
    if (!judge.flags(use)) continue;
    const t = typeText(ctx.file, ctx.stmt, use);
    const written = t && !t.text.includes('"') ? normalizedTypeText(t.text) : undefined;
    const v = judge.verdict(use, `${table}.${use.column}`, written, ctx);
    const fixes: Fix[] = [];
    const inPlace =
      t &&
      written !== undefined &&
      replaceableInPlace(ctx, use, { allowForeignKeys: judge.allowForeignKeys });
    if (t && inPlace && v.replacement)
      fixes.push({
        title: v.replacement.title,
        preferred: v.replacement.preferred || undefined,
        edits: [replaceType(ctx.file, t, v.replacement.text)],
      });
    if (t && inPlace)
      for (const alt of v.alternatives ?? [])
        fixes.push({ title: alt.title, edits: [replaceType(ctx.file, t, alt.text)] });
    fixes.push(disableForLine(ctx.file, ctx.stmt.start, rule));
    ctx.report(rule, {
      start: t?.start ?? ctx.stmt.start,
      end: t?.end ?? ctx.stmt.end,
      message: v.message,
      help: v.help,
      fixes,
    });
  }
}

/** `[]`, `[][]`, `[3]` suffix of a normalized type text, or '' (also for `array`). */
export function arraySuffix(written: string): string {
  return /((?:\[\d*\])*)$/.exec(written)?.[1] ?? '';
}
