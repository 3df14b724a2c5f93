/**
 * ban-truncate (opt-in): TRUNCATE of an existing table deletes every row under an ACCESS
 * EXCLUSIVE lock (reads and writes wait), and it is not MVCC-safe: a transaction that started
 * before it and reads the table afterwards sees it empty. Tables created earlier in the same
 * migration are exempt. CASCADE has its own rule (ban-truncate-cascade).
 */
import { rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'ban-truncate',
  summary: 'TRUNCATE deletes every row of a table under an ACCESS EXCLUSIVE lock.',
  defaultSeverity: 'warning',
  optIn: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'TruncateStmt') return;
    const names = (stmt.ast.relations ?? [])
      .map((r: Ast) => rangeVarName(r.RangeVar))
      .filter((n: { name: string }) => n.name && !ctx.isNewTable(relKey(n)))
      .map((n: { name: string }) => n.name);
    if (names.length === 0) return;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `TRUNCATE deletes every row of ${names.join(', ')} under an ACCESS EXCLUSIVE lock (reads and writes wait), and it is not MVCC-safe: transactions that started earlier see the table${names.length > 1 ? 's' : ''} empty.`,
      help: 'Delete data in batches outside the migration (DELETE … WHERE id IN (SELECT … LIMIT 10000)), or, if the table really must be emptied, do it in a release of its own.',
      fixes: [ctx.disableForLine(stmt.start, this.id)],
    });
  },
};
