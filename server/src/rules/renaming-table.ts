/**
 * renaming-table: ALTER TABLE … RENAME TO on an existing table is instant, but every running
 * version of the application that still uses the old name fails from that moment. Exempt when a
 * later statement of the same migration creates a view with the old name, which keeps old code
 * working through the deploy window (in a later UP section of the same migration too). Tables
 * created earlier in the same migration are exempt.
 */
import { qualifiedIdent, rangeVarName, relKey } from '../parser/ast';
import { insertAfterStatement } from '../linter/afterStatement';
import { laterStatements } from '../linter/laterStatements';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'renaming-table',
  summary: 'Renaming a table breaks running code that still uses the old name.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'RenameStmt' || stmt.ast.renameType !== 'OBJECT_TABLE') return;
    const rel = rangeVarName(stmt.ast.relation);
    const key = relKey(rel);
    if (ctx.isNewTable(key)) return;
    const shim = laterStatements(ctx).some(
      (s) => s.kind === 'ViewStmt' && relKey(rangeVarName(s.ast.view)) === key,
    );
    if (shim) return;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Renaming ${rel.name} to ${stmt.ast.newname} breaks every running client that still uses the old name.`,
      help: `Create a view with the old name in the same migration (CREATE VIEW ${rel.name} AS SELECT * FROM ${stmt.ast.newname}); simple views are updatable, so old code keeps working until it is gone. Drop the view in a later release.`,
      fixes: [
        {
          title: `Keep ${rel.name} as a view of ${stmt.ast.newname}`,
          edits: [
            insertAfterStatement(ctx, [
              `CREATE VIEW ${qualifiedIdent(rel)} AS SELECT * FROM ${qualifiedIdent({ schema: rel.schema, name: stmt.ast.newname })};`,
            ]),
          ],
        },
        ctx.disableForLine(stmt.start, this.id),
      ],
    });
  },
};
