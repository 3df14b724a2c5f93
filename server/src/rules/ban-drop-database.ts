/**
 * ban-drop-database: DROP DATABASE in a migration deletes a whole database and everything in it,
 * irreversibly, and cannot run inside a transaction. Migrations manage a schema inside one
 * database; dropping databases belongs to provisioning, where it is deliberate and reviewed.
 */
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'ban-drop-database',
  summary: 'DROP DATABASE deletes a whole database and all its data.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'DropdbStmt') return;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `DROP DATABASE ${stmt.ast.dbname} permanently deletes the database and all its data; no DOWN migration can bring it back.`,
      help: 'Drop databases in provisioning or by hand, not in a schema migration.',
      fixes: [ctx.disableForLine(stmt.start, this.id)],
    });
  },
};
