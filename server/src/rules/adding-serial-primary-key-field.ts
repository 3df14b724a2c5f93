/**
 * adding-serial-primary-key-field: ADD PRIMARY KEY (cols) without USING INDEX, or ADD COLUMN …
 * PRIMARY KEY, on an existing table builds the primary-key index while holding an ACCESS EXCLUSIVE
 * lock: reads and writes are blocked for the whole build. Build a unique index CONCURRENTLY first
 * and attach it with ADD CONSTRAINT … PRIMARY KEY USING INDEX. That is instant only when the
 * columns are already NOT NULL: adding-primary-key-on-nullable-column reports the scan otherwise.
 * Tables created earlier in the same migration are exempt.
 */
import { columnConstraints, rangeVarName, relKey, stringList } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'adding-serial-primary-key-field',
  summary:
    'Adding a primary key without USING INDEX builds its index under an ACCESS EXCLUSIVE lock.',
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
      let cols: string[] | undefined;
      if (cmd?.subtype === 'AT_AddConstraint') {
        const con = cmd.def?.Constraint;
        if (con?.contype === 'CONSTR_PRIMARY' && con.indexname) return;
        if (con?.contype === 'CONSTR_PRIMARY') cols = stringList(con.keys);
      } else if (cmd?.subtype === 'AT_AddColumn') {
        const def = cmd.def?.ColumnDef;
        if (columnConstraints(def).some((k) => k.contype === 'CONSTR_PRIMARY'))
          cols = [def.colname];
      }
      if (!cols) return;
      const range = commandOrStatement(ctx.file, stmt, i);
      const list = cols.join(', ');
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Adding a primary key on ${rel.name} (${list}) builds its index under an ACCESS EXCLUSIVE lock: reads and writes are blocked until the build ends.`,
        help: `Make the columns NOT NULL first (CHECK … NOT VALID, VALIDATE, SET NOT NULL), run CREATE UNIQUE INDEX CONCURRENTLY ${rel.name}_pkey ON ${rel.name} (${list}) outside a transaction, then ALTER TABLE ${rel.name} ADD CONSTRAINT ${rel.name}_pkey PRIMARY KEY USING INDEX ${rel.name}_pkey (instant).`,
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};
