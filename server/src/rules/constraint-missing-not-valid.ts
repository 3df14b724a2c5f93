/**
 * constraint-missing-not-valid: ADD CONSTRAINT … CHECK or FOREIGN KEY (and from PostgreSQL 18
 * ADD CONSTRAINT … NOT NULL) on an existing table without NOT VALID checks every existing row
 * while holding the lock: ACCESS EXCLUSIVE for CHECK and NOT NULL (reads and writes blocked),
 * SHARE ROW EXCLUSIVE on both tables for a foreign key (writes blocked). UNIQUE, PRIMARY KEY and
 * EXCLUDE are never flagged: PostgreSQL rejects NOT VALID for them. Tables created earlier in the
 * same migration are exempt.
 */
import { rangeVarName, relKey, stringList } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import { notValidFix } from '../linter/notValidFix';
import type { Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'constraint-missing-not-valid',
  summary:
    'A CHECK, FOREIGN KEY or NOT NULL constraint added without NOT VALID scans the table under its lock.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = rangeVarName(stmt.ast.relation);
    const key = relKey(rel);
    if (ctx.isNewTable(key)) return;
    (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
      const cmd = c.AlterTableCmd;
      const con = cmd?.subtype === 'AT_AddConstraint' ? cmd.def?.Constraint : undefined;
      if (!con || con.skip_validation) return;
      const what = describe(ctx, key, con);
      if (!what) return;
      const range = commandOrStatement(ctx.file, stmt, i);
      const start = stmt.offsetOf(con.location);
      const fix = what.fixable ? notValidFix(ctx, i, con) : undefined;
      ctx.report(this.id, {
        start: start >= range.start && start < range.end ? start : range.start,
        end: range.end,
        message: `${what.kind} added to ${rel.name} without NOT VALID checks every existing row while holding ${what.lock}.`,
        help: what.fixable
          ? 'Add it NOT VALID (existing rows are not checked, the lock is brief), then run ALTER TABLE … VALIDATE CONSTRAINT in a separate transaction: it takes SHARE UPDATE EXCLUSIVE, so reads and writes continue during the scan.'
          : `${rel.name} is partitioned, and PostgreSQL before 18 rejects NOT VALID foreign keys on partitioned tables: add the key to each partition NOT VALID and VALIDATE it there first.`,
        fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};

interface Kind {
  kind: string;
  lock: string;
  fixable: boolean;
}

function describe(ctx: StatementContext, key: string, con: Ast): Kind | undefined {
  const table = rangeVarName(ctx.stmt.ast.relation).name;
  switch (con.contype) {
    case 'CONSTR_CHECK':
      return {
        kind: 'A CHECK constraint',
        lock: `an ACCESS EXCLUSIVE lock: reads and writes of ${table} are blocked until the scan ends`,
        fixable: true,
      };
    case 'CONSTR_FOREIGN':
      return {
        kind: 'A foreign key',
        lock: `SHARE ROW EXCLUSIVE locks on ${table} and ${rangeVarName(con.pktable).name}: writes to both are blocked until the scan ends`,
        fixable: ctx.pgVersion >= 18 || !ctx.catalog.table(key)?.partitioned,
      };
    case 'CONSTR_NOTNULL': {
      // NOT NULL takes NOT VALID only from PostgreSQL 18; a column already NOT NULL is not scanned
      if (ctx.pgVersion < 18) return undefined;
      const cols = stringList(con.keys);
      if (cols.every((c) => ctx.catalog.column(key, c)?.notNull)) return undefined;
      return {
        kind: 'A NOT NULL constraint',
        lock: `an ACCESS EXCLUSIVE lock: reads and writes of ${table} are blocked until the scan ends`,
        fixable: true,
      };
    }
    default:
      return undefined;
  }
}
