/**
 * require-separate-constraint-validation: VALIDATE CONSTRAINT in the same transaction that added
 * the constraint NOT VALID. The point of NOT VALID is a brief lock now and a scan later under
 * SHARE UPDATE EXCLUSIVE; in one transaction the ADD's lock (ACCESS EXCLUSIVE for a CHECK, SHARE
 * ROW EXCLUSIVE on both tables for a foreign key) is still held during the scan, so nothing is
 * gained. Tables created earlier in the same migration are exempt.
 */
import { rangeVarName, relKey } from '../parser/ast';
import { disableForLine } from '../linter/fixes';
import { addedNotValidInTransaction } from '../linter/sameTransaction';
import { splitSectionAt } from '../linter/splitMigration';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'require-separate-constraint-validation',
  summary:
    'VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID holds the first lock through the scan.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt' || !ctx.tx.inTransaction) return;
    const rel = rangeVarName(stmt.ast.relation);
    const key = relKey(rel);
    if (ctx.isNewTable(key)) return;
    for (const c of stmt.ast.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      if (cmd?.subtype !== 'AT_ValidateConstraint') continue;
      const added = addedNotValidInTransaction(ctx, key, cmd.name);
      if (!added) continue;
      const { file } = ctx;
      const line = file.index.lineAt(added.stmt.start) + 1;
      const fix = moveFix(ctx);
      ctx.report(this.id, {
        start: stmt.start,
        end: stmt.end,
        message: `${cmd.name} was added NOT VALID on line ${line} in this same transaction: its ${added.lock} is still held while VALIDATE scans ${rel.name}, so NOT VALID gains nothing.`,
        help: 'Run VALIDATE CONSTRAINT in a later transaction (a migration of its own when the runner wraps each migration in one): it then takes only SHARE UPDATE EXCLUSIVE, and reads and writes continue during the scan.',
        related: [
          {
            file: file.path,
            start: added.stmt.start,
            end: added.stmt.end,
            message: `${cmd.name} added NOT VALID here`,
          },
        ],
        fixes: [...(fix ? [fix] : []), disableForLine(file, stmt.start, this.id)],
      });
      return;
    }
  },
};

/**
 * VALIDATE and everything after it move to a migration of their own, in order: later statements
 * may rely on the validated constraint (SET NOT NULL, DROP CONSTRAINT).
 */
function moveFix(ctx: StatementContext): Fix | undefined {
  if (ctx.tx.explicit) return undefined;
  const split = splitSectionAt(ctx, ctx.position, 'validate');
  if (!split) return undefined;
  return {
    title:
      ctx.following.length > 0
        ? `Move VALIDATE CONSTRAINT and the statements after it to a new migration ${split.label}`
        : `Move VALIDATE CONSTRAINT to a new migration ${split.label}`,
    preferred: true,
    edits: split.edits,
  };
}
