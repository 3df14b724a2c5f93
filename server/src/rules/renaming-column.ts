/**
 * renaming-column: ALTER TABLE … RENAME COLUMN on an existing column is instant, but every running
 * version of the application that still uses the old name fails from that moment. Keep the old
 * name in the database (rename in the ORM only), or expand and contract: add the new column, write
 * both, backfill, move readers, then drop the old one. Columns and tables created earlier in the
 * same migration are exempt.
 */
import { rangeVarName, relKey } from '../parser/ast';
import { disableForLine } from '../linter/fixes';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'renaming-column',
  summary: 'Renaming a column breaks running code that still uses the old name.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'RenameStmt' || stmt.ast.renameType !== 'OBJECT_COLUMN') return;
    if (stmt.ast.relationType !== 'OBJECT_TABLE') return;
    const rel = rangeVarName(stmt.ast.relation);
    if (ctx.isNewColumn(relKey(rel), stmt.ast.subname)) return;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Renaming ${rel.name}.${stmt.ast.subname} to ${stmt.ast.newname} breaks every running client that still uses the old name.`,
      help: 'Rename only in the application (ORM column mapping), or expand and contract: add the new column, write to both, backfill, switch readers, then drop the old column in a later release.',
      fixes: [disableForLine(ctx.file, stmt.start, this.id)],
    });
  },
};
