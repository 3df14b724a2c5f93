/**
 * require-concurrent-index-deletion: DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE
 * lock on the index's table, so reads and writes of that table wait until the drop finishes (and,
 * worse, while the drop itself waits for older transactions). Indexes created earlier in the same
 * migration, and indexes of tables created in it, are exempt: nothing uses them yet.
 */
import { listName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { concurrentlyFix } from '../linter/concurrently';
import type { Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'require-concurrent-index-deletion',
  summary:
    'DROP INDEX without CONCURRENTLY blocks reads and writes of the table until it finishes.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'DropStmt' || stmt.ast.removeType !== 'OBJECT_INDEX' || stmt.ast.concurrent)
      return;
    const objects: Ast[] = stmt.ast.objects ?? [];
    const names = objects.map((o) => listName(o.List?.items));
    const risky = names.filter((n) => !isExempt(ctx, relKey(n)));
    if (risky.length === 0) return;
    const tables = [...new Set(risky.map((n) => tableOf(ctx, relKey(n))))];
    const indexList = risky.map((n) => n.name).join(', ');
    const tableList = tables.every((t) => t !== undefined) ? tables.join(', ') : 'its table';
    const cascade = stmt.ast.behavior === 'DROP_CASCADE';
    const partitioned = risky.some((n) => onPartitionedTable(ctx, relKey(n)));
    // CONCURRENTLY drops exactly one index, refuses CASCADE and partitioned indexes
    const fix =
      objects.length === 1 && !cascade && !partitioned
        ? concurrentlyFix(ctx, ['INDEX'], undefined)
        : undefined;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Dropping index ${indexList} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on ${tableList}: reads and writes wait until it finishes.`,
      help: partitioned
        ? 'An index of a partitioned table cannot be dropped CONCURRENTLY: drop it when traffic is low, with a short lock_timeout.'
        : objects.length > 1 || cascade
          ? 'Use DROP INDEX CONCURRENTLY, one index per statement and without CASCADE, outside a transaction.'
          : 'Use DROP INDEX CONCURRENTLY, outside a transaction.',
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

function isExempt(ctx: StatementContext, indexKey: string): boolean {
  const index = ctx.catalog.indexes.get(indexKey);
  if (!index) return false;
  return index.createdIn === ctx.migration.id || ctx.isNewTable(`${index.schema}.${index.table}`);
}

function onPartitionedTable(ctx: StatementContext, indexKey: string): boolean {
  const index = ctx.catalog.indexes.get(indexKey);
  return !!index && !!ctx.catalog.table(`${index.schema}.${index.table}`)?.partitioned;
}

function tableOf(ctx: StatementContext, indexKey: string): string | undefined {
  return ctx.catalog.indexes.get(indexKey)?.table;
}
