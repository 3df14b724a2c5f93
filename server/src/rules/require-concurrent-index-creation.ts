/**
 * require-concurrent-index-creation: CREATE INDEX without CONCURRENTLY holds a SHARE lock on the
 * table for the whole build, blocking every write. Tables created earlier in the same migration
 * are exempt (nobody writes to them yet).
 */
import { qualifiedIdent, rangeVarName, relKey } from '../parser/ast';
import { concurrentlyFix } from '../linter/concurrently';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'require-concurrent-index-creation',
  summary: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'IndexStmt' || stmt.ast.concurrent) return;
    const rel = rangeVarName(stmt.ast.relation);
    const key = relKey(rel);
    if (ctx.isNewTable(key)) return;
    const table = ctx.catalog.table(key);
    if (table?.partitioned) {
      ctx.report(this.id, {
        start: stmt.start,
        end: stmt.end,
        message: `CREATE INDEX on partitioned table ${rel.name} takes a SHARE lock on every partition and blocks writes to all of them while it builds.`,
        help: 'CONCURRENTLY is not supported on a partitioned table: create the index ON ONLY the parent, build it CONCURRENTLY on each partition, then ALTER INDEX … ATTACH PARTITION.',
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
      return;
    }
    const name = stmt.ast.idxname as string | undefined;
    const down = name
      ? `DROP INDEX CONCURRENTLY IF EXISTS ${qualifiedIdent({ schema: rel.schema, name })};`
      : undefined;
    const fix = concurrentlyFix(ctx, ['INDEX'], down);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Creating an index on ${rel.name} without CONCURRENTLY takes a SHARE lock: writes to ${rel.name} are blocked until the build finishes.`,
      help: 'Use CREATE INDEX CONCURRENTLY, outside a transaction. If it fails it leaves an INVALID index: drop it with DROP INDEX CONCURRENTLY IF EXISTS before retrying (IF NOT EXISTS would skip the broken index).',
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};
