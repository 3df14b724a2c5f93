/**
 * adding-foreign-key-constraint: adding a FOREIGN KEY to an existing table without NOT VALID
 * (ADD CONSTRAINT … FOREIGN KEY, or ADD COLUMN … REFERENCES) checks every row while holding SHARE
 * ROW EXCLUSIVE locks on both the table and the referenced table, so writes to both are blocked
 * until the scan ends. Add it NOT VALID and VALIDATE it in a later transaction. Tables created
 * earlier in the same migration are exempt.
 */
import { isWord } from '../parser/lexer';
import { qualifiedIdent, quoteIdent, rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import {
  alterCommandRange,
  columnConstraintRanges,
  commandOrStatement,
  removalRange,
  tokensIn,
  type TextRange,
} from '../linter/alterText';
import { disableForLine, replace } from '../linter/fixes';
import { mergeInserts } from '../linter/afterStatement';
import { freshConstraintName, notValidFix, placeLater, validateSql } from '../linter/notValidFix';
import type { Fix, Rule, StatementContext } from '../linter/types';

const HELP =
  'Add the constraint NOT VALID (no scan, the lock is brief), then run ALTER TABLE … VALIDATE CONSTRAINT in a separate transaction: it takes only SHARE UPDATE EXCLUSIVE on the table and ROW SHARE on the referenced one, so writes continue while it checks the rows.';

export const rule: Rule = {
  id: 'adding-foreign-key-constraint',
  summary:
    'A foreign key added without NOT VALID blocks writes to both tables while every row is checked.',
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
      if (cmd?.subtype === 'AT_AddConstraint') {
        const con = cmd.def?.Constraint;
        if (con?.contype !== 'CONSTR_FOREIGN' || con.skip_validation) return;
        const fix = canNotValid(ctx, key) ? notValidFix(ctx, i, con) : undefined;
        const cmdRange = commandOrStatement(ctx.file, stmt, i);
        report(
          ctx,
          con,
          rel.name,
          { ...cmdRange, start: clamp(stmt.offsetOf(con.location), cmdRange) },
          fix,
        );
      } else if (cmd?.subtype === 'AT_AddColumn') {
        const def = cmd.def?.ColumnDef;
        (def?.constraints ?? []).forEach((w: Ast, n: number) => {
          const con = w.Constraint;
          if (con?.contype !== 'CONSTR_FOREIGN') return;
          const fix = canNotValid(ctx, key) ? columnFkFix(ctx, i, def, n) : undefined;
          const cmdRange = commandOrStatement(ctx.file, stmt, i);
          const r = columnConstraintRanges(ctx.file, stmt, cmdRange, def)?.[n] ?? cmdRange;
          report(ctx, con, rel.name, r, fix);
        });
      }
    });
  },
};

// PostgreSQL before 18 rejects NOT VALID foreign keys on partitioned tables.
function canNotValid(ctx: StatementContext, key: string): boolean {
  return ctx.pgVersion >= 18 || !ctx.catalog.table(key)?.partitioned;
}

function clamp(offset: number, r: TextRange): number {
  return offset >= r.start && offset < r.end ? offset : r.start;
}

function report(
  ctx: StatementContext,
  con: Ast,
  table: string,
  range: TextRange,
  fix: Fix | undefined,
): void {
  const { stmt } = ctx;
  const target = rangeVarName(con.pktable).name;
  const partitionedOld = !canNotValid(ctx, relKey(rangeVarName(stmt.ast.relation)));
  ctx.report(rule.id, {
    start: range.start,
    end: range.end,
    message: `Adding a foreign key on ${table} without NOT VALID checks every row while holding SHARE ROW EXCLUSIVE locks on ${table} and ${target}: writes to both tables are blocked until the scan ends.`,
    help: partitionedOld
      ? `${table} is partitioned, and PostgreSQL before 18 rejects NOT VALID foreign keys on partitioned tables: add the key to each partition NOT VALID and VALIDATE it there, then to the parent (which then only checks), or run it in a quiet period.`
      : HELP,
    fixes: [...(fix ? [fix] : []), disableForLine(ctx.file, stmt.start, rule.id)],
  });
}

/**
 * ADD COLUMN c … REFERENCES p: the column form cannot say NOT VALID, so the reference moves to a
 * table constraint after the statement.
 */
function columnFkFix(
  ctx: StatementContext,
  cmdIndex: number,
  def: Ast,
  conIndex: number,
): Fix | undefined {
  const { stmt, file } = ctx;
  const cmd = alterCommandRange(file, stmt, cmdIndex);
  const r = cmd && columnConstraintRanges(file, stmt, cmd, def)?.[conIndex];
  if (!cmd || !r) return undefined;
  const con = def.constraints[conIndex].Constraint;
  const refs = tokensIn(file, stmt, r).find((t) => isWord(t, 'REFERENCES'));
  if (!refs) return undefined;
  const rel = rangeVarName(stmt.ast.relation);
  const name: string =
    con.conname ?? freshConstraintName(ctx.catalog, relKey(rel), rel.name, [def.colname], 'fkey');
  const add = `ALTER TABLE ${qualifiedIdent(rel)} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${quoteIdent(def.colname)}) ${file.text.slice(refs.start, r.end)} NOT VALID;`;
  const later = placeLater(ctx, [validateSql(stmt.ast.relation, name)], [add]);
  if (!later) return undefined;
  const cut = removalRange(file, stmt, cmd, r);
  return {
    title: `Add the foreign key NOT VALID after the column and VALIDATE CONSTRAINT ${name} ${later.where}`,
    preferred: true,
    edits: mergeInserts([replace(file, cut.start, cut.end, ''), ...later.edits]),
  };
}
