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
import { isSafeTypeChange, isZoneRelabel } from '../linter/typeChange';
import type { Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'changing-column-type',
  summary:
    'ALTER COLUMN … TYPE that is not a known in-place change rewrites the table under an ACCESS EXCLUSIVE lock.',
  defaultSeverity: 'warning',
  weighedBySize: true,
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
      if (from && plainUsing && !collate && isZoneRelabel(from, to)) {
        ctx.report(this.id, {
          start: range.start,
          end: range.end,
          message: `Changing ${rel.name}.${col} from ${typeDisplay(from)} to ${typeDisplay(to)} rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock (reads and writes blocked until it ends) ${ctx.pgVersion >= 12 ? 'unless the session TimeZone is UTC' : 'even when the session TimeZone is UTC (before PostgreSQL 12)'}; existing values are ${to.name === 'timestamptz' ? 'read as local times of' : 'converted to'} the session TimeZone.`,
          help:
            ctx.pgVersion >= 12
              ? "If the stored values are UTC, run SET LOCAL TimeZone = 'UTC' before it in the same transaction: PostgreSQL then only relabels the column. Otherwise add a new column, backfill it in batches and switch readers."
              : 'Add a new column, keep both in sync with a trigger, backfill in batches, switch readers, then drop the old column.',
          fixes: [ctx.disableForLine(stmt.start, this.id)],
        });
        return;
      }
      const why = !plainUsing ? ' with a USING expression' : collate ? ' with a new collation' : '';
      const message = from
        ? `Changing ${rel.name}.${col} from ${typeDisplay(from)} to ${typeDisplay(to)}${why} rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: reads and writes are blocked until it ends. Clients reading the column may break too.`
        : `Changing ${rel.name}.${col} to ${typeDisplay(to)} rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock (reads and writes blocked until it ends) unless it only widens the current type, which pgmig does not know: ${unknownReason(ctx, key, col)}.`;
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message,
        help: 'Only widening changes run in place (varchar(n) to a larger varchar or text, numeric precision increase at the same scale, cidr to inet, …). Otherwise add a new column, keep both in sync with a trigger, backfill in batches, switch readers, then drop the old column.',
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};

function unknownReason(ctx: StatementContext, key: string, col: string): string {
  const { catalog } = ctx;
  if (catalog.opaque) return `${catalog.opaqueReason ?? 'dynamic SQL ran'}, so nothing is certain`;
  const t = catalog.table(key);
  if (!t || t.createdIn === '') return 'the table is not created by the migrations it has seen';
  if (t.uncertain) return 'an earlier statement changed the table in a way it cannot follow';
  if (!t.columns.has(col)) return 'the table has no such column in its model';
  return 'its type is not modelled';
}
