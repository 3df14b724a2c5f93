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
  type TypeText,
} from './columnTypes';
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
  // the statement first: the section is looked at only for flagged types
  const uses = columnTypeUses(ctx.stmt);
  if (uses.length === 0 || !uses.some((u) => judge.flags(u))) return;
  if (ctx.sectionKind === 'down') return;
  const table = rangeVarName(ctx.stmt.ast.relation).name;
  for (const use of uses) {
    if (!judge.flags(use)) continue;
    const { t, written } = writtenType(ctx, use);
    const v = judge.verdict(use, `${table}.${use.column}`, written, ctx);
    const fixes: Fix[] = [];
    const inPlace =
      t && written !== undefined && inPlaceVerdict(ctx, use, !!judge.allowForeignKeys);
    if (t && inPlace && v.replacement)
      fixes.push({
        title: v.replacement.title,
        preferred: v.replacement.preferred || undefined,
        edits: [replaceType(ctx.path, t, v.replacement.text)],
      });
    if (t && inPlace)
      for (const alt of v.alternatives ?? [])
        fixes.push({ title: alt.title, edits: [replaceType(ctx.path, t, alt.text)] });
    fixes.push(ctx.disableForLine(ctx.stmt.start, rule));
    ctx.report(rule, {
      start: t?.start ?? ctx.stmt.start,
      end: t?.end ?? ctx.stmt.end,
      message: v.message,
      help: v.help,
      fixes,
    });
  }
}

// several type rules may judge one column, on every lint: where its type is written and how it
// reads are kept per column (relative to the statement, which edits elsewhere only move) ...
interface Written {
  from: number;
  to: number;
  text: string;
  normalized: string | undefined;
}
const writtenTypes = new WeakMap<ColumnTypeUse, Written | null>();

function writtenType(
  ctx: StatementContext,
  use: ColumnTypeUse,
): { t: TypeText | undefined; written: string | undefined } {
  const { stmt } = ctx;
  let w = writtenTypes.get(use);
  if (w === undefined) {
    const t = typeText(stmt, use);
    w = t
      ? {
          from: t.start - stmt.start,
          to: t.end - stmt.start,
          text: t.text,
          normalized: t.text.includes('"') ? undefined : normalizedTypeText(t.text),
        }
      : null;
    writtenTypes.set(use, w);
  }
  if (!w) return { t: undefined, written: undefined };
  return {
    t: { start: stmt.start + w.from, end: stmt.start + w.to, text: w.text },
    written: w.normalized,
  };
}

// ... and whether it can be replaced in place, which looks at the later statements on its table
function inPlaceVerdict(ctx: StatementContext, use: ColumnTypeUse, allowForeignKeys: boolean) {
  return replaceableInPlace(ctx, use, { allowForeignKeys });
}

/** `[]`, `[][]`, `[3]` suffix of a normalized type text, or '' (also for `array`). */
export function arraySuffix(written: string): string {
  return /((?:\[\d*\])*)$/.exec(written)?.[1] ?? '';
}
