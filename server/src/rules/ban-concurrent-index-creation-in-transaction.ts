/**
 * ban-concurrent-index-creation-in-transaction: a CONCURRENTLY statement (CREATE INDEX, DROP INDEX,
 * REINDEX, ALTER TABLE … DETACH PARTITION) inside a transaction block fails: PostgreSQL refuses it
 * with "cannot run inside a transaction block", so the migration does not apply. The section must
 * run outside a transaction (the runner's switch), or the statement must move to a migration of
 * its own that does.
 */
import { qualifiedIdent, rangeVarName } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import {
  deleteStatement,
  followUpMigration,
  nonTransactionalEdits,
  slug,
  statementSql,
} from '../linter/fixes';
import type { Fix, Rule, StatementContext, TxState } from '../linter/types';

export const rule: Rule = {
  id: 'ban-concurrent-index-creation-in-transaction',
  summary: 'A CONCURRENTLY statement inside a transaction block fails at run time.',
  defaultSeverity: 'error',
  check(ctx) {
    const { stmt } = ctx;
    const what = concurrentStatement(stmt);
    if (!what) return;
    const { tx } = ctx;
    if (!tx.inTransaction) return;
    const fix = moveOutOfTransaction(ctx, tx);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `${what} cannot run inside a transaction block, and this one runs in one (${tx.reason}): PostgreSQL rejects it and the migration fails.`,
      help: tx.explicit
        ? 'Move the statement after the COMMIT, or into a migration of its own that runs without a transaction.'
        : "Run the section without a transaction (the runner's switch), or move the statement into a migration of its own that does.",
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

/** The statement's name when it is a CONCURRENTLY statement, else undefined. */
function concurrentStatement(s: Statement): string | undefined {
  const a = s.ast;
  switch (s.kind) {
    case 'IndexStmt':
      return a.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return a.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt':
      return (a.params ?? []).some((p: Ast) => p.DefElem?.defname === 'concurrently')
        ? 'REINDEX CONCURRENTLY'
        : undefined;
    case 'AlterTableStmt':
      return (a.cmds ?? []).some(
        (c: Ast) =>
          c.AlterTableCmd?.subtype === 'AT_DetachPartition' &&
          c.AlterTableCmd.def?.PartitionCmd?.concurrent,
      )
        ? 'DETACH PARTITION … CONCURRENTLY'
        : undefined;
    default:
      return undefined;
  }
}

function moveOutOfTransaction(ctx: StatementContext, tx: TxState): Fix | undefined {
  const { stmt } = ctx;
  if (!tx.explicit) {
    const switchOff = nonTransactionalEdits(ctx.migration, ctx.section);
    if (switchOff)
      return {
        title: `Run the section without a transaction: ${switchOff.how}`,
        preferred: true,
        edits: switchOff.edits,
      };
  }
  if (ctx.section.kind !== 'up') return undefined;
  const moved = followUpMigration(ctx.folder, ctx.migration, {
    name: slug(`${ctx.migration.name}_concurrently`),
    up: statementSql(stmt),
    down: downOf(stmt),
    transactional: false,
  });
  if (!moved) return undefined;
  return {
    title: `Move to a new migration ${moved.label} that runs without a transaction`,
    preferred: true,
    edits: [deleteStatement(ctx.file, stmt), ...moved.edits],
  };
}

function downOf(stmt: Statement): string | undefined {
  if (stmt.kind !== 'IndexStmt' || !stmt.ast.idxname) return undefined;
  const rel = rangeVarName(stmt.ast.relation);
  const name = qualifiedIdent({ schema: rel.schema, name: stmt.ast.idxname });
  return `DROP INDEX CONCURRENTLY IF EXISTS ${name};`;
}
