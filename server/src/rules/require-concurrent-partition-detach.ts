/**
 * require-concurrent-partition-detach: ALTER TABLE … DETACH PARTITION without CONCURRENTLY takes
 * ACCESS EXCLUSIVE on the partitioned table and the partition, so every query on the whole
 * partitioned table waits (and, while the lock itself waits, queues). From PostgreSQL 14,
 * DETACH PARTITION … CONCURRENTLY takes SHARE UPDATE EXCLUSIVE instead; like CREATE INDEX
 * CONCURRENTLY it cannot run in a transaction block. Parents created earlier in the migration
 * are exempt; before PostgreSQL 14 there is nothing to require.
 */
import { qualifiedIdent, rangeVarName, relKey } from '../parser/ast';
import { statementTokens } from '../parser/parse';
import type { Ast } from '../parser/parse';
import { concurrentlyFixAt } from '../linter/concurrently';
import { shortName } from '../linter/lockWindow';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'require-concurrent-partition-detach',
  summary:
    'DETACH PARTITION without CONCURRENTLY blocks reads and writes of the whole partitioned table (PostgreSQL 14+).',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    if (ctx.pgVersion < 14) return;
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt') return;
    const cmd = (stmt.ast.cmds ?? [])
      .map((c: Ast) => c.AlterTableCmd)
      .find((c: Ast) => c?.subtype === 'AT_DetachPartition');
    const pc = cmd?.def?.PartitionCmd;
    if (!pc?.name || pc.concurrent) return;
    const parent = rangeVarName(stmt.ast.relation);
    const parentKey = relKey(parent);
    if (ctx.isNewTable(parentKey)) return;
    const child = rangeVarName(pc.name);
    const withDefault = defaultPartitionOf(ctx, parentKey);
    const fix = withDefault ? undefined : detachFix(ctx, pc.name);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Detaching ${child.name} from ${parent.name} without CONCURRENTLY takes ACCESS EXCLUSIVE locks on both: every read and write of ${parent.name} and all its partitions waits until it commits.`,
      help: withDefault
        ? `Use DETACH PARTITION … CONCURRENTLY (SHARE UPDATE EXCLUSIVE, outside a transaction) — but ${parent.name} has a default partition (${shortName(withDefault)}), and PostgreSQL refuses a concurrent detach then: detach in a quiet period with a short lock_timeout.`
        : 'Use ALTER TABLE … DETACH PARTITION … CONCURRENTLY: it takes SHARE UPDATE EXCLUSIVE, so reads and writes continue. It cannot run inside a transaction block, nor while the table has a DEFAULT partition; if it is interrupted, finish it with DETACH PARTITION … FINALIZE.',
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

/** The parent's DEFAULT partition, if the model knows one. */
function defaultPartitionOf(ctx: StatementContext, parentKey: string): string | undefined {
  for (const [k, t] of ctx.catalog.tables)
    if (t.partitionOf === parentKey && t.defaultPartition) return k;
  return undefined;
}

/** CONCURRENTLY goes right after the partition name. */
function detachFix(ctx: StatementContext, name: Ast): Fix | undefined {
  const { stmt, file } = ctx;
  const tokens = statementTokens(file.index, stmt);
  const start = stmt.offsetOf(name.location);
  let i = tokens.findIndex((t) => t.start === start);
  if (i < 0) return undefined;
  while (tokens[i + 1]?.text === '.' && tokens[i + 2]) i += 2;
  const rel = rangeVarName(stmt.ast.relation);
  const attachBack = `-- re-attach ${qualifiedIdent(rangeVarName(name))} to ${qualifiedIdent(rel)} with its bounds: ALTER TABLE … ATTACH PARTITION … FOR VALUES …`;
  return concurrentlyFixAt(ctx, tokens[i].end, attachBack);
}
