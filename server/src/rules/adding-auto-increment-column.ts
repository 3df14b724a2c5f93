/**
 * adding-auto-increment-column: ADD COLUMN with serial/bigserial/smallserial, GENERATED … AS
 * IDENTITY or GENERATED ALWAYS AS (…) STORED on an existing table computes a value for every
 * existing row, which rewrites the table and all its indexes under an ACCESS EXCLUSIVE lock:
 * reads and writes are blocked until it ends. Tables created earlier in the same migration are
 * exempt; PostgreSQL 18 VIRTUAL generated columns are not stored and not flagged.
 */
import { columnConstraints, isSerialType, rangeVarName, relKey, stringList } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'adding-auto-increment-column',
  summary:
    'Adding a serial, identity or stored generated column rewrites the table under an ACCESS EXCLUSIVE lock.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = rangeVarName(stmt.ast.relation);
    if (ctx.isNewTable(relKey(rel))) return;
    (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
      const cmd = c.AlterTableCmd;
      const def = cmd?.subtype === 'AT_AddColumn' ? cmd.def?.ColumnDef : undefined;
      if (!def) return;
      const cons = columnConstraints(def);
      const kind = isSerialType(def.typeName)
        ? `a ${stringList(def.typeName.names).pop()} column`
        : cons.some((k) => k.contype === 'CONSTR_IDENTITY')
          ? 'an identity column'
          : cons.some((k) => k.contype === 'CONSTR_GENERATED' && k.generated_kind !== 'v')
            ? 'a stored generated column'
            : undefined;
      if (!kind) return;
      const generated = kind === 'a stored generated column';
      const range = commandOrStatement(ctx.file, stmt, i);
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Adding ${def.colname} to ${rel.name} as ${kind} computes a value for every existing row: the table and all its indexes are rewritten under an ACCESS EXCLUSIVE lock, blocking reads and writes until it ends.`,
        help: generated
          ? 'Add a plain nullable column, keep it up to date with a trigger, and backfill existing rows in batches' +
            ' (on PostgreSQL 18 a VIRTUAL generated column needs no rewrite).'
          : 'Add a nullable bigint column without a default, create the sequence and ALTER COLUMN … SET DEFAULT nextval(…) for new rows, backfill existing rows in batches, then make it NOT NULL (CHECK … NOT VALID, VALIDATE, SET NOT NULL).',
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};
