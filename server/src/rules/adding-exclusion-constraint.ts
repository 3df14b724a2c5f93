/**
 * adding-exclusion-constraint: ALTER TABLE … ADD CONSTRAINT … EXCLUDE on an existing table builds
 * the constraint's index and checks every row against every other while holding ACCESS
 * EXCLUSIVE: reads and writes are blocked for the whole build. PostgreSQL has no online path: an
 * exclusion constraint cannot be added NOT VALID nor attached from an index built CONCURRENTLY.
 * Tables created earlier in the same migration are exempt.
 */
import { rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'adding-exclusion-constraint',
  summary:
    'Adding an EXCLUDE constraint to an existing table blocks reads and writes while its index builds.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = rangeVarName(stmt.ast.relation);
    if (ctx.isNewTable(relKey(rel))) return;
    (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
      const cmd = c.AlterTableCmd;
      const con = cmd?.subtype === 'AT_AddConstraint' ? cmd.def?.Constraint : undefined;
      if (con?.contype !== 'CONSTR_EXCLUSION') return;
      const range = commandOrStatement(ctx.file, stmt, i);
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Adding an exclusion constraint to ${rel.name} builds its index and checks every row under an ACCESS EXCLUSIVE lock: reads and writes of ${rel.name} are blocked until the build ends.`,
        help: `There is no online way to add it: it cannot be NOT VALID nor use an index built CONCURRENTLY. Add it while ${rel.name} is small or in a maintenance window with a short lock_timeout, or create a new table with the constraint, copy the rows in batches and swap the tables.`,
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};
