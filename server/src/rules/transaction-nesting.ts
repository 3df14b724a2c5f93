/**
 * transaction-nesting: an explicit BEGIN or COMMIT in a section the runner already runs in a
 * transaction, or a BEGIN inside an explicit BEGIN. PostgreSQL has no nested transactions: the
 * BEGIN only warns, and the first COMMIT ends the runner's transaction early, so the statements
 * after it run without one (a failure leaves the migration half applied) and the runner's own
 * COMMIT finds nothing to commit. In a file sent as one query string (golang-migrate, Prisma) a
 * BEGIN … COMMIT around the whole file is harmless; only a COMMIT with statements after it splits
 * the file into two transactions.
 */
import type { Statement } from '../parser/parse';
import { deleteStatement } from '../linter/fixes';
import type { Fix, Rule, StatementContext } from '../linter/types';

const BEGIN = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const END = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE']);

export const rule: Rule = {
  id: 'transaction-nesting',
  summary: 'BEGIN/COMMIT inside a transaction the runner (or an earlier BEGIN) already opened.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt, tx } = ctx;
    if (stmt.kind !== 'TransactionStmt' || !tx.inTransaction) return;
    const { section } = ctx;
    const kind: string = stmt.ast.kind;
    const disable = ctx.disableForLine(stmt.start, this.id);
    if (section.transaction === 'single-query' && !tx.explicit) {
      checkQueryString(ctx, this.id, kind, disable);
      return;
    }
    if (BEGIN.has(kind)) {
      const closing = closingOf(ctx);
      const fix = tx.explicit ? removeInnerBegin(ctx) : removePair(ctx, closing);
      ctx.report(this.id, {
        start: stmt.start,
        end: stmt.end,
        message: tx.explicit
          ? 'BEGIN inside a transaction an earlier BEGIN opened: PostgreSQL has no nested transactions, so it only warns, and the first COMMIT ends the outer transaction.'
          : closing
            ? `BEGIN inside the transaction the runner already opened (${tx.reason}): PostgreSQL only warns, and the COMMIT that follows ends the runner's transaction early, so the rest of the migration runs without one and is left half applied if it fails.`
            : `BEGIN inside the transaction the runner already opened (${tx.reason}): PostgreSQL has no nested transactions, so it only warns and the BEGIN does nothing.`,
        help: tx.explicit
          ? 'Remove the inner BEGIN; use SAVEPOINT if a part must be rolled back on its own.'
          : "Remove the BEGIN and its COMMIT and let the runner's transaction cover the section, or switch the runner's transaction off for this section.",
        fixes: [...(fix ? [fix] : []), disable],
      });
    } else if (END.has(kind) && !tx.explicit) {
      ctx.report(this.id, {
        start: stmt.start,
        end: stmt.end,
        message: `${endWord(kind)} ends the transaction the runner opened (${tx.reason}) early: the statements after it run without one and are left half applied if they fail, and the runner's own COMMIT finds nothing to commit.`,
        help: "Remove it and let the runner's transaction cover the section, or switch the runner's transaction off for this section.",
        fixes: [disable],
      });
    }
  },
};

/**
 * One query string: PostgreSQL folds the statements before a BEGIN into its transaction and runs
 * the statements after a COMMIT in a new implicit one. Harmful only when something follows the end.
 */
function checkQueryString(ctx: StatementContext, id: string, kind: string, disable: Fix): void {
  const { stmt } = ctx;
  if (BEGIN.has(kind)) {
    const closing = closingOf(ctx);
    if (!closing || !hasStatementsAfter(ctx, closing)) return;
    const fix = removePair(ctx, closing);
    ctx.report(id, {
      start: stmt.start,
      end: stmt.end,
      message: `BEGIN … ${endWord(closing.ast.kind)} in a file the runner sends as one query string: the statements after the ${endWord(closing.ast.kind)} run in a second implicit transaction, so if they fail the migration is left half applied.`,
      help: 'Remove the BEGIN and its COMMIT: without them PostgreSQL runs the whole file in one implicit transaction.',
      fixes: [...(fix ? [fix] : []), disable],
    });
  } else if (END.has(kind) && ctx.following.length > 0) {
    ctx.report(id, {
      start: stmt.start,
      end: stmt.end,
      message: `${endWord(kind)} in the middle of a file the runner sends as one query string ends its implicit transaction early: the statements after it run in a second one, so if they fail the migration is left half applied.`,
      help: 'Remove it, so that PostgreSQL runs the whole file in one implicit transaction, or split the file into two migrations.',
      fixes: [disable],
    });
  }
}

function endWord(kind: string): string {
  if (kind === 'TRANS_STMT_ROLLBACK') return 'ROLLBACK';
  if (kind === 'TRANS_STMT_PREPARE') return 'PREPARE TRANSACTION';
  return 'COMMIT';
}

function closingOf(ctx: StatementContext): Statement | undefined {
  return ctx.following.find((s) => s.kind === 'TransactionStmt' && END.has(s.ast.kind as string));
}

function hasStatementsAfter(ctx: StatementContext, s: Statement): boolean {
  const all = ctx.section.parsed.statements;
  return all.indexOf(s) < all.length - 1;
}

function removePair(ctx: StatementContext, closing: Statement | undefined): Fix {
  // only a plain COMMIT is the runner's job; a ROLLBACK or PREPARE changes what happens
  if (closing && (closing.ast.kind !== 'TRANS_STMT_COMMIT' || closing.ast.chain))
    return removeInnerBegin(ctx, false);
  const edits = [deleteStatement(ctx.file, ctx.stmt)];
  if (closing) edits.push(deleteStatement(ctx.file, closing));
  return {
    title: closing ? 'Remove BEGIN and its COMMIT' : 'Remove BEGIN',
    preferred: true,
    edits,
  };
}

function removeInnerBegin(ctx: StatementContext, preferred = true): Fix {
  return {
    title: 'Remove BEGIN',
    preferred,
    edits: [deleteStatement(ctx.file, ctx.stmt)],
  };
}
