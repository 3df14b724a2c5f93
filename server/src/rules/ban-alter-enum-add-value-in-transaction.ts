/**
 * ban-alter-enum-add-value-in-transaction: before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run
 * inside a transaction block ("ALTER TYPE ... ADD cannot run inside a transaction block"), so a
 * migration that the runner wraps in a transaction fails. From 12 it can (but the new value cannot
 * be used before COMMIT: see unsafe-new-enum-value-use). The fix takes the section out of the
 * runner's transaction, or moves the statement into a migration of its own that runs without one.
 */
import { listName, qualifiedIdent } from '../parser/ast';
import {
  deleteStatement,
  followUpMigration,
  nonTransactionalEdits,
  slug,
  statementSql,
} from '../linter/fixes';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'ban-alter-enum-add-value-in-transaction',
  summary: 'ALTER TYPE … ADD VALUE inside a transaction block fails before PostgreSQL 12.',
  defaultSeverity: 'error',
  check(ctx) {
    if (ctx.pgVersion >= 12) return;
    const { stmt, tx } = ctx;
    if (stmt.kind !== 'AlterEnumStmt' || stmt.ast.oldVal || !stmt.ast.newVal) return;
    if (!tx.inTransaction) return;
    const type = qualifiedIdent(listName(stmt.ast.typeName));
    const fix = outOfTransactionFix(ctx);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Before PostgreSQL 12, ALTER TYPE ${type} ADD VALUE cannot run inside a transaction block, and this one runs in one (${tx.reason}): PostgreSQL rejects it and the migration fails.`,
      help: tx.explicit
        ? 'Move the statement before the BEGIN or after the COMMIT.'
        : "Run the section without a transaction (the runner's switch), or move the statement into a migration of its own that does. From PostgreSQL 12 it may run in a transaction.",
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

function outOfTransactionFix(ctx: StatementContext): Fix | undefined {
  const { stmt, tx } = ctx;
  if (tx.explicit) return undefined;
  const switchOff = nonTransactionalEdits(ctx.migration, ctx.section);
  if (switchOff)
    return {
      title: `Run the section without a transaction: ${switchOff.how}`,
      preferred: true,
      edits: switchOff.edits,
    };
  if (ctx.section.kind !== 'up') return undefined;
  // moving it after statements that use the value would break them
  const literal = `'${String(stmt.ast.newVal).replace(/'/g, "''")}'`;
  if (ctx.following.some((s) => s.text.includes(literal))) return undefined;
  const moved = followUpMigration(ctx.folder, ctx.migration, {
    name: slug(`${ctx.migration.name}_enum_value`),
    up: statementSql(stmt),
    transactional: false,
  });
  if (!moved) return undefined;
  return {
    title: `Move to a new migration ${moved.label} that runs without a transaction`,
    preferred: true,
    edits: [deleteStatement(ctx.file, stmt), ...moved.edits],
  };
}
