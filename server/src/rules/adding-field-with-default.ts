/**
 * adding-field-with-default: ADD COLUMN … DEFAULT on an existing table rewrites the table and all
 * its indexes under an ACCESS EXCLUSIVE lock (reads and writes blocked) when the default must be
 * computed per row: before PostgreSQL 11 for every default, from 11 only for a volatile one
 * (random(), gen_random_uuid(), clock_timestamp(), nextval(), unknown functions). Constants, casts
 * of constants, now() and other stable built-ins are stored once, without a rewrite. serial,
 * identity and stored generated columns belong to adding-auto-increment-column.
 */
import { isWord } from '../parser/lexer';
import {
  columnConstraints,
  isSerialType,
  qualifiedIdent,
  quoteIdent,
  rangeVarName,
  relKey,
} from '../parser/ast';
import type { Ast } from '../parser/parse';
import {
  alterCommandRange,
  columnConstraintRanges,
  commandOrStatement,
  removalRange,
  tokensIn,
  type TextRange,
} from '../linter/alterText';
import { replace } from '../linter/fixes';
import { insertAfterStatement, mergeInserts } from '../linter/afterStatement';
import type { Fix, Rule, StatementContext } from '../linter/types';
import { defaultVolatility, isNullConstant } from '../linter/volatility';

export const rule: Rule = {
  id: 'adding-field-with-default',
  summary:
    'ADD COLUMN with a volatile DEFAULT (any DEFAULT before PostgreSQL 11) rewrites the table under an ACCESS EXCLUSIVE lock.',
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
      if (cons.some((k) => k.contype === 'CONSTR_IDENTITY' || k.contype === 'CONSTR_GENERATED'))
        return;
      const dflt = cons.find((k) => k.contype === 'CONSTR_DEFAULT');
      if (!dflt || isNullConstant(dflt.raw_expr)) return;
      const vol = defaultVolatility(dflt.raw_expr);
      if (ctx.pgVersion >= 11 && !vol.volatile) return;
      const range = commandOrStatement(ctx.file, stmt, i);
      const col: string = def.colname;
      const fix = splitDefaultFix(ctx, i, def);
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message:
          ctx.pgVersion >= 11
            ? `Adding ${col} to ${rel.name} with a volatile default (${vol.reason}) rewrites the table and all its indexes under an ACCESS EXCLUSIVE lock: reads and writes are blocked until the rewrite ends.`
            : `Before PostgreSQL 11, adding ${col} to ${rel.name} with a DEFAULT rewrites the table and all its indexes under an ACCESS EXCLUSIVE lock: reads and writes are blocked until the rewrite ends.`,
        help: 'Add the column without a default, then ALTER COLUMN … SET DEFAULT (applies to new rows only, no rewrite), and backfill existing rows in batches outside the migration. For NOT NULL, add CHECK (col IS NOT NULL) NOT VALID after the backfill, VALIDATE it, then SET NOT NULL.',
        fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};

/** ADD COLUMN without DEFAULT (and NOT NULL), then SET DEFAULT for new rows. */
function splitDefaultFix(ctx: StatementContext, cmdIndex: number, def: Ast): Fix | undefined {
  const { stmt, file } = ctx;
  const cons: Ast[] = (def.constraints ?? []).map((w: Ast) => w.Constraint);
  // a primary key needs values at once: there is no nullable intermediate step
  if (cons.some((k) => k?.contype === 'CONSTR_PRIMARY')) return undefined;
  const cmd = alterCommandRange(file, stmt, cmdIndex);
  const ranges = cmd && columnConstraintRanges(file, stmt, cmd, def);
  if (!cmd || !ranges) return undefined;
  const di = cons.findIndex((k) => k?.contype === 'CONSTR_DEFAULT');
  const dtoks = tokensIn(file, stmt, ranges[di]);
  const kw = dtoks.findIndex((t) => isWord(t, 'DEFAULT'));
  if (kw < 0 || kw + 1 >= dtoks.length) return undefined;
  const expr = file.text.slice(dtoks[kw + 1].start, ranges[di].end);
  const cut: TextRange[] = [];
  let droppedNotNull = false;
  cons.forEach((k, n) => {
    if (k?.contype === 'CONSTR_DEFAULT' || k?.contype === 'CONSTR_NOTNULL') {
      cut.push(removalRange(file, stmt, cmd, ranges[n]));
      droppedNotNull ||= k.contype === 'CONSTR_NOTNULL';
    }
  });
  let text = file.text.slice(cmd.start, cmd.end);
  for (const r of cut.sort((a, b) => b.start - a.start))
    text = text.slice(0, r.start - cmd.start) + text.slice(r.end - cmd.start);
  const col = quoteIdent(def.colname);
  const lines = [
    `ALTER TABLE ${qualifiedIdent(rangeVarName(stmt.ast.relation))} ALTER COLUMN ${col} SET DEFAULT ${expr};`,
    !droppedNotNull
      ? '-- backfill existing rows in batches outside this migration'
      : ctx.pgVersion >= 12
        ? `-- backfill existing rows in batches outside this migration, then make ${def.colname} NOT NULL: ADD CONSTRAINT … CHECK (${col} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, SET NOT NULL`
        : `-- backfill existing rows in batches outside this migration, then SET NOT NULL on ${def.colname} in a quiet period (before PostgreSQL 12 it scans the table)`,
  ];
  return {
    title: `Add ${def.colname} without a default, then SET DEFAULT for new rows`,
    preferred: true,
    edits: mergeInserts([
      replace(file, cmd.start, cmd.end, text),
      insertAfterStatement(ctx, lines),
    ]),
  };
}
