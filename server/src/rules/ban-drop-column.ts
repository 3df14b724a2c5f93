/**
 * ban-drop-column: ALTER TABLE … DROP COLUMN of a column this migration did not add breaks every
 * running client that still selects or writes it (DROP COLUMN itself is instant and does not
 * rewrite). First deploy code that ignores the column, then drop it in a later migration. A DOWN
 * section dropping a column its UP added is not flagged.
 */
import { rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'ban-drop-column',
  summary: 'Dropping a column breaks clients that still use it.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = rangeVarName(stmt.ast.relation);
    const key = relKey(rel);
    (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
      const cmd = c.AlterTableCmd;
      if (cmd?.subtype !== 'AT_DropColumn' || ctx.isNewColumn(key, cmd.name)) return;
      const range = commandOrStatement(ctx.file, stmt, i);
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Dropping ${rel.name}.${cmd.name} breaks every running client that still selects or writes it, and its data is gone.`,
        help: 'Deploy code that no longer uses the column first (ORMs: mark it ignored), then drop it in a later migration.',
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};
