/**
 * changing-column-type: ALTER COLUMN … TYPE on an existing column rewrites the table and rebuilds
 * its indexes under an ACCESS EXCLUSIVE lock (reads and writes blocked) unless the change is one
 * PostgreSQL makes in place: varchar widening or to text, text to unconstrained varchar, numeric
 * precision increase at the same scale, varbit widening, cidr to inet, time/timestamp/interval
 * precision increase. The previous type comes from the schema model; when it is unknown the
 * change is reported as such. New tables and columns are exempt.
 */
import { columnRefName, rangeVarName, relKey, sameType, typeDisplay, typeRef } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import { disableForLine } from '../linter/fixes';
import { isSafeTypeChange } from '../linter/typeChange';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'changing-column-type',
  summary:
    'ALTER COLUMN … TYPE that is not a known in-place change rewrites the table under an ACCESS EXCLUSIVE lock.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = rangeVarName(stmt.ast.relation);
    const key = relKey(rel);
    (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
      const cmd = c.AlterTableCmd;
      const def = cmd?.subtype === 'AT_AlterColumnType' ? cmd.def?.ColumnDef : undefined;
      if (!def?.typeName) return;
      const col: string = cmd.name;
      if (ctx.isNewColumn(key, col)) return;
      const to = typeRef(def.typeName);
      const from = ctx.catalog.column(key, col)?.type;
      // USING forces a rewrite unless it is the column itself, at most cast to the new type
      const using = def.raw_default;
      const plainUsing =
        !using ||
        columnRefName(using) === col ||
        (columnRefName(using?.TypeCast?.arg) === col &&
          sameType(typeRef(using.TypeCast.typeName), to));
      const collate = !!def.collClause;
      if (from && plainUsing && !collate && isSafeTypeChange(from, to)) return;
      const range = commandOrStatement(ctx.file, stmt, i);
      const change = from
        ? `from ${typeDisplay(from)} to ${typeDisplay(to)}`
        : `to ${typeDisplay(to)} (its current type is unknown to pgmig, so the change cannot be shown to be in place)`;
      const why = !from
        ? ''
        : !plainUsing
          ? ' with a USING expression'
          : collate
            ? ' with a new collation'
            : '';
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Changing ${rel.name}.${col} ${change}${why} rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: reads and writes are blocked until it ends. Clients reading the column may break too.`,
        help: 'Only widening changes run in place (varchar(n) to a larger varchar or text, numeric precision increase at the same scale, cidr to inet, …). Otherwise add a new column, keep both in sync with a trigger, backfill in batches, switch readers, then drop the old column.',
        fixes: [disableForLine(ctx.file, stmt.start, this.id)],
      });
    });
  },
};
