/**
 * adding-required-field: ADD COLUMN … NOT NULL (or PRIMARY KEY, which implies it) without a
 * DEFAULT on an existing table fails as soon as the table has a row ("column contains null
 * values"), and application code that does not write the column breaks too. Identity, generated
 * and serial columns get their values from elsewhere and are not flagged. Add the column
 * nullable, backfill, then make it NOT NULL with the CHECK … NOT VALID recipe — or give it a
 * non-volatile DEFAULT (no rewrite from PostgreSQL 11).
 */
import { columnConstraints, isSerialType, rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import {
  alterCommandRange,
  columnConstraintRanges,
  commandOrStatement,
  removalRange,
} from '../linter/alterText';
import { replace } from '../linter/fixes';
import type { Fix, Rule, StatementContext } from '../linter/types';
import { isNullConstant } from '../linter/volatility';

export const rule: Rule = {
  id: 'adding-required-field',
  summary: 'ADD COLUMN … NOT NULL without a DEFAULT fails on any table that has rows.',
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
      if (!def || isSerialType(def.typeName)) return;
      const cons = columnConstraints(def);
      const valued = cons.some(
        (k) =>
          k.contype === 'CONSTR_IDENTITY' ||
          k.contype === 'CONSTR_GENERATED' ||
          (k.contype === 'CONSTR_DEFAULT' && !isNullConstant(k.raw_expr)),
      );
      // a primary key makes the column NOT NULL as well, and then no nullable step exists
      const primary = cons.some((k) => k.contype === 'CONSTR_PRIMARY');
      if (valued || !(primary || cons.some((k) => k.contype === 'CONSTR_NOTNULL'))) return;
      const range = commandOrStatement(ctx.file, stmt, i);
      const fix = primary ? undefined : nullableFix(ctx, i, def);
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Adding ${def.colname} to ${rel.name} as ${primary ? 'a PRIMARY KEY (NOT NULL)' : 'NOT NULL'} without a DEFAULT fails if ${rel.name} has any row, and breaks code that inserts without it.`,
        help: 'Add the column nullable, backfill it in batches, then add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it in a separate transaction and SET NOT NULL (no scan from PostgreSQL 12). Or give it a non-volatile DEFAULT, which PostgreSQL 11+ adds without a rewrite.',
        fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};

/** Drops the NOT NULL: the column is added nullable. */
function nullableFix(ctx: StatementContext, cmdIndex: number, def: Ast): Fix | undefined {
  const { stmt, file } = ctx;
  const cmd = alterCommandRange(file, stmt, cmdIndex);
  const ranges = cmd && columnConstraintRanges(file, stmt, cmd, def);
  if (!cmd || !ranges) return undefined;
  const edits = (def.constraints as Ast[])
    .map((w, n) => ({ con: w.Constraint, r: ranges[n] }))
    .filter((x) => x.con?.contype === 'CONSTR_NOTNULL')
    .map((x) => {
      const cut = removalRange(file, stmt, cmd, x.r);
      return replace(file, cut.start, cut.end, '');
    });
  return { title: `Add ${def.colname} as a nullable column`, edits };
}
