/**
 * ban-drop-not-null: ALTER COLUMN … DROP NOT NULL on an existing column is instant, but code that
 * assumes the column is never NULL (readers, other services, reports) breaks on the first NULL
 * written. It belongs in the contract phase, after every reader handles NULL. Columns added
 * earlier in the same migration are exempt.
 */
import { rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'ban-drop-not-null',
  summary: 'Dropping NOT NULL breaks readers that assume the column is never NULL.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = rangeVarName(stmt.ast.relation);
    const key = relKey(rel);
    (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
      const cmd = c.AlterTableCmd;
      if (cmd?.subtype !== 'AT_DropNotNull' || ctx.isNewColumn(key, cmd.name)) return;
      const range = commandOrStatement(ctx.file, stmt, i);
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Dropping NOT NULL from ${rel.name}.${cmd.name} lets NULLs in, which breaks readers that assume the column always has a value.`,
        help: 'Make sure every reader handles NULL before this runs, and deploy those readers first.',
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};
