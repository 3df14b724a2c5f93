/**
 * ban-drop-schema: DROP SCHEMA of a schema this migration did not create. Without CASCADE it fails
 * unless the schema is empty; with CASCADE it drops every table, view, function and type in it,
 * data included. A DOWN dropping the schema its UP created is not flagged.
 */
import type { Ast } from '../parser/parse';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'ban-drop-schema',
  summary: 'DROP SCHEMA … CASCADE drops every object in the schema, data included.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'DropStmt' || stmt.ast.removeType !== 'OBJECT_SCHEMA') return;
    const mine = (n: string) => ctx.catalog.schemas.get(n)?.createdIn === ctx.migration.id;
    const names: string[] = (stmt.ast.objects ?? [])
      .map((o: Ast) => o.String?.sval as string)
      .filter((n: string | undefined) => n && !mine(n));
    if (names.length === 0) return;
    const cascade = stmt.ast.behavior === 'DROP_CASCADE';
    const tables = [...ctx.catalog.tables.values()].filter((t) => names.includes(t.schema)).length;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: cascade
        ? `DROP SCHEMA ${names.join(', ')} CASCADE drops every table, view, function and type in it, data included${tables ? ` (${tables} table${tables > 1 ? 's' : ''} the migrations created)` : ''}, and breaks every client that uses them.`
        : `Dropping schema ${names.join(', ')} breaks every client and role whose search_path or grants name it (and fails unless the schema is empty).`,
      help: 'Drop the objects one by one in migrations of their own once nothing uses them; drop the empty schema last.',
      fixes: [ctx.disableForLine(stmt.start, this.id)],
    });
  },
};
