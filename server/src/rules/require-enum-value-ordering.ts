/**
 * require-enum-value-ordering: ALTER TYPE … ADD VALUE without BEFORE or AFTER appends the value
 * at the end of the enum's sort order. Enums compare and sort by that order (ORDER BY, <, >, range
 * checks), so a value added without thinking about its place can silently change query results.
 * Saying where it goes makes the order a decision. The fix, offered when the schema model knows
 * the enum's values, writes AFTER its current last value: the same order, made explicit.
 */
import { listName, qualifiedIdent, relKey } from '../parser/ast';
import { statementTokens } from '../parser/parse';
import { insert } from '../linter/fixes';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'require-enum-value-ordering',
  summary:
    'ALTER TYPE … ADD VALUE without BEFORE or AFTER appends the value to the sort order unasked.',
  defaultSeverity: 'info',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterEnumStmt' || stmt.ast.oldVal || !stmt.ast.newVal) return;
    if (stmt.ast.newValNeighbor) return;
    const name = listName(stmt.ast.typeName);
    const type = ctx.catalog.types.get(relKey(name));
    const values = type?.kind === 'enum' ? type.values : undefined;
    const last = values?.filter((v) => v !== stmt.ast.newVal).pop();
    // values a DO block may have changed are not certain enough to write into the migration
    const fix = last === undefined || ctx.catalog.opaque ? undefined : afterFix(ctx, last);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `ADD VALUE '${stmt.ast.newVal}' without BEFORE or AFTER puts it last in the sort order of ${qualifiedIdent(name)}${last !== undefined ? `, after '${last}'` : ''}: ORDER BY and comparisons on the enum follow that order.`,
      help: "Say where the value belongs with BEFORE 'x' or AFTER 'x'.",
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

function afterFix(ctx: StatementContext, last: string): Fix | undefined {
  const { stmt, file } = ctx;
  const tokens = statementTokens(file.index, stmt);
  const v = tokens.findIndex((t) => t.keyword === 'VALUE');
  const literal = tokens.slice(v + 1).find((t) => t.name === 'SCONST');
  if (v < 0 || !literal) return undefined;
  const quoted = `'${last.replace(/'/g, "''")}'`;
  return {
    title: `Add AFTER ${quoted} (keeps it last, explicitly)`,
    preferred: true,
    edits: [insert(file, literal.end, ` AFTER ${quoted}`)],
  };
}
