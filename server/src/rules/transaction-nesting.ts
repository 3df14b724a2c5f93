/**
 * transaction-nesting: an explicit BEGIN or COMMIT in a section the runner already runs in a
 * transaction, or a BEGIN inside an explicit BEGIN. PostgreSQL has no nested transactions: the
 * BEGIN only warns, and the first COMMIT ends the runner's transaction early, so the statements
 * after it run without one (a failure leaves the migration half applied) and the runner's own
 * COMMIT finds nothing to commit.
 */
import type { Statement } from '../parser/parse';
import { deleteStatement, disableForLine } from '../linter/fixes';
import type { Fix, Rule, StatementContext } from '../linter/types';

const BEGIN = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const END = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE']);

export const rule: Rule = {
  id: 'transaction-nesting',
  summary: 'BEGIN/COMMIT inside a transaction the runner (or an earlier BEGIN) already opened.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt, tx, section } = ctx;
    if (stmt.kind !== 'TransactionStmt' || !tx.inTransaction) return;
    // a multi-statement query string may carry its own BEGIN … COMMIT: PostgreSQL honours it
    if (section.transaction === 'single-query' && !tx.explicit) return;
    const kind: string = stmt.ast.kind;
    const disable = disableForLine(ctx.file, stmt.start, this.id);
    if (BEGIN.has(kind)) {
      const fix = tx.explicit ? removeInnerBegin(ctx) : removePair(ctx);
      ctx.report(this.id, {
        start: stmt.start,
        end: stmt.end,
        message: tx.explicit
          ? 'BEGIN inside a transaction an earlier BEGIN opened: PostgreSQL has no nested transactions, so it only warns, and the first COMMIT ends the outer transaction.'
          : `BEGIN inside the transaction the runner already opened (${tx.reason}): PostgreSQL only warns, and the COMMIT that follows ends the runner's transaction early, so the rest of the migration runs without one and is left half applied if it fails.`,
        help: tx.explicit
          ? 'Remove the inner BEGIN; use SAVEPOINT if a part must be rolled back on its own.'
          : "Remove the BEGIN and its COMMIT and let the runner's transaction cover the section, or switch the runner's transaction off for this section.",
        fixes: [...(fix ? [fix] : []), disable],
      });
    } else if (END.has(kind) && !tx.explicit) {
      ctx.report(this.id, {
        start: stmt.start,
        end: stmt.end,
        message: `${kind === 'TRANS_STMT_ROLLBACK' ? 'ROLLBACK' : 'COMMIT'} ends the transaction the runner opened (${tx.reason}) early: the statements after it run without one and are left half applied if they fail, and the runner's own COMMIT finds nothing to commit.`,
        help: "Remove it and let the runner's transaction cover the section, or switch the runner's transaction off for this section.",
        fixes: [disable],
      });
    }
  },
};

function removePair(ctx: StatementContext): Fix {
  const closing = ctx.following.find(
    (s) => s.kind === 'TransactionStmt' && END.has(s.ast.kind as string),
  );
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
    edits: [deleteStatement(ctx.file, ctx.stmt as Statement)],
  };
}
