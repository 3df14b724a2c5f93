/**
 * ban-uncommitted-transaction: a BEGIN (or START TRANSACTION) with no later COMMIT, END or ROLLBACK
 * in its section leaves the transaction open; when the runner closes the connection PostgreSQL
 * rolls it back, so the migration's changes silently do not apply while the runner records it as
 * done. Sections the runner already wraps in its own transaction are left to transaction-nesting:
 * there the BEGIN is a no-op and the runner's COMMIT applies the changes.
 */
import type { Section } from '../folder/model';
import type { Statement } from '../parser/parse';
import { disableForLine, insert } from '../linter/fixes';
import { isNonTransactional } from '../linter/statementFacts';
import { lineBreakOf } from '../text/positions';
import type { Rule, SectionContext } from '../linter/types';

export const rule: Rule = {
  id: 'ban-uncommitted-transaction',
  summary: 'BEGIN without a COMMIT in the same section: the changes are rolled back silently.',
  defaultSeverity: 'error',
  checkSection(ctx) {
    const { section, file } = ctx;
    if (runnerCommits(ctx)) return;
    const statements = section.parsed.statements;
    let open: Statement | undefined;
    for (const s of statements) {
      if (s.kind !== 'TransactionStmt') continue;
      const kind: string = s.ast.kind;
      if (kind === 'TRANS_STMT_BEGIN' || kind === 'TRANS_STMT_START') open ??= s;
      else if (kind === 'TRANS_STMT_COMMIT' || kind === 'TRANS_STMT_ROLLBACK') {
        // COMMIT AND CHAIN starts the next transaction at once
        if (!s.ast.chain) open = undefined;
      } else if (kind === 'TRANS_STMT_PREPARE') open = undefined;
    }
    if (!open) return;
    const last = statements[statements.length - 1];
    const nl = lineBreakOf(file.text);
    const terminated = file.text[last.terminatorEnd - 1] === ';';
    ctx.report(this.id, {
      start: open.start,
      end: open.end,
      message:
        'This transaction is never committed: nothing after the BEGIN in this section runs COMMIT, so PostgreSQL rolls it back when the connection closes and the changes silently do not apply.',
      help: 'End the transaction with COMMIT after the last statement.',
      fixes: [
        {
          title: 'Add COMMIT',
          preferred: true,
          edits: [insert(file, last.terminatorEnd, `${terminated ? '' : ';'}${nl}COMMIT;`)],
        },
        disableForLine(file, open.start, this.id),
      ],
    });
  },
};

/** Whether the runner wraps the section in a transaction of its own and commits it at the end. */
function runnerCommits(ctx: SectionContext): boolean {
  const section: Section = ctx.section;
  switch (section.transaction) {
    case 'transaction':
      return true;
    case 'auto':
      return section.parsed.statements.some(
        (s) => s.kind !== 'TransactionStmt' && !isNonTransactional(s),
      );
    case 'none':
      return ctx.settings.assumeInTransaction && section.transactionSource.startsWith('unknown');
    // one query string: a BEGIN turns the implicit transaction into an explicit one nobody ends
    case 'single-query':
      return false;
  }
}
