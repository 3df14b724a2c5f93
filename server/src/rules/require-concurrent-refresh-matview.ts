/**
 * require-concurrent-refresh-matview: REFRESH MATERIALIZED VIEW without CONCURRENTLY recomputes
 * the view while holding ACCESS EXCLUSIVE on it: every query reading the view waits until the
 * whole query behind it has run again. CONCURRENTLY takes EXCLUSIVE instead, so reads continue,
 * but it needs a unique index on plain columns covering all rows, and a view that is populated.
 * The fix adds CONCURRENTLY only when the schema model knows both; otherwise the finding says what
 * is missing. Views created earlier in the same migration, and WITH NO DATA, are exempt.
 */
import { rangeVarName, relKey } from '../parser/ast';
import { statementTokens } from '../parser/parse';
import { insert } from '../linter/fixes';
import { isNewMatview, shortName } from '../linter/lockWindow';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'require-concurrent-refresh-matview',
  summary:
    'REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every read of the view while it is recomputed.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'RefreshMatViewStmt' || stmt.ast.concurrent || stmt.ast.skipData) return;
    const key = relKey(rangeVarName(stmt.ast.relation));
    if (isNewMatview(ctx, key)) return;
    const name = shortName(key);
    const view = ctx.catalog.matviews.get(key);
    const unique = uniqueIndexOf(ctx, key);
    const missing = !view
      ? `pgmig does not know ${name} (it is not created by the migrations it has seen), so it cannot tell whether it has the unique index CONCURRENTLY needs`
      : ctx.catalog.opaque
        ? `${ctx.catalog.opaqueReason ?? 'dynamic SQL ran'}, so pgmig cannot be sure ${name} still has the unique index CONCURRENTLY needs`
        : !view.populated
          ? `${name} was created WITH NO DATA and not refreshed since: the first refresh cannot be CONCURRENTLY`
          : !unique
            ? `${name} has no unique index on plain columns without a WHERE clause, which CONCURRENTLY requires`
            : undefined;
    const fix = missing ? undefined : concurrentlyFix(ctx);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Refreshing ${name} without CONCURRENTLY holds an ACCESS EXCLUSIVE lock on it while its query runs again: every read of ${name} waits until the refresh ends.`,
      help: missing
        ? `Use REFRESH MATERIALIZED VIEW CONCURRENTLY (EXCLUSIVE lock: reads continue). Note: ${missing}.`
        : `Use REFRESH MATERIALIZED VIEW CONCURRENTLY (EXCLUSIVE lock: reads continue; it uses the unique index ${unique}).`,
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

/** A unique index CONCURRENTLY accepts: plain columns, no WHERE. */
function uniqueIndexOf(ctx: StatementContext, key: string): string | undefined {
  for (const [, i] of ctx.catalog.indexes.group(key))
    if (i.unique && !i.partial && i.columns.length > 0 && !i.columns.includes('(expr)'))
      return i.name;
  return undefined;
}

function concurrentlyFix(ctx: StatementContext): Fix | undefined {
  const { stmt, file } = ctx;
  const tokens = statementTokens(file.index, stmt);
  const view = tokens.findIndex(
    (t, i) => t.keyword === 'VIEW' && tokens[i - 1]?.keyword === 'MATERIALIZED',
  );
  if (view < 0) return undefined;
  return {
    title: 'Add CONCURRENTLY',
    preferred: true,
    edits: [insert(file, tokens[view].end, ' CONCURRENTLY')],
  };
}
