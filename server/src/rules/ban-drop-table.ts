/**
 * ban-drop-table: DROP TABLE of a table this migration did not create deletes its data for good
 * and breaks every running client that still reads or writes it. A DOWN section that drops a
 * table its UP did not create is flagged too; one that drops what its UP created is not. First
 * deploy code that no longer uses the table, then drop it in a later migration.
 */
import { listName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'ban-drop-table',
  summary: 'Dropping a table loses its data and breaks clients that still use it.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'DropStmt' || stmt.ast.removeType !== 'OBJECT_TABLE') return;
    const old = (stmt.ast.objects ?? [])
      .map((o: Ast) => listName(o.List?.items))
      .filter((n: { name: string }) => n.name && !ctx.isNewTable(relKey(n)))
      .map((n: { name: string }) => n.name);
    if (old.length === 0) return;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Dropping ${old.join(', ')} deletes ${old.length > 1 ? 'their' : 'its'} data and breaks every running client that still uses ${old.length > 1 ? 'them' : 'it'}.`,
      help: 'Deploy code that no longer uses the table first, then drop it in a later migration (or rename it aside and drop it once nothing complains).',
      fixes: [ctx.disableForLine(stmt.start, this.id)],
    });
  },
};
