/**
 * adding-not-nullable-field: ALTER COLUMN … SET NOT NULL on an existing column of an existing
 * table scans every row under an ACCESS EXCLUSIVE lock, blocking reads and writes. From
 * PostgreSQL 12 a validated CHECK (col IS NOT NULL) lets it skip the scan, so the safe recipe adds
 * that check NOT VALID, validates it in a later transaction, then sets NOT NULL and drops the
 * check; from PostgreSQL 18 a NOT NULL constraint can itself be added NOT VALID. New tables and
 * columns are exempt, and so is a column the model knows a validated check for.
 */
import { qualifiedIdent, quoteIdent, rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { commandOrStatement, alterCommandRange } from '../linter/alterText';
import { replace } from '../linter/fixes';
import { mergeInserts } from '../linter/afterStatement';
import { freshConstraintName, placeLater, validateSql } from '../linter/notValidFix';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'adding-not-nullable-field',
  summary: 'SET NOT NULL on an existing column scans the table under an ACCESS EXCLUSIVE lock.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = rangeVarName(stmt.ast.relation);
    const key = relKey(rel);
    (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
      const cmd = c.AlterTableCmd;
      if (cmd?.subtype !== 'AT_SetNotNull') return;
      const col: string = cmd.name;
      if (ctx.isNewColumn(key, col) || ctx.catalog.column(key, col)?.notNull) return;
      if (ctx.pgVersion >= 12 && ctx.catalog.validatedNotNullCheck(key, col)) return;
      const fix = ctx.pgVersion >= 12 ? checkFirstFix(ctx, i, col) : undefined;
      const range = commandOrStatement(ctx.file, stmt, i);
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Setting ${col} NOT NULL scans every row of ${rel.name} under an ACCESS EXCLUSIVE lock: reads and writes are blocked until the scan ends.`,
        help:
          ctx.pgVersion >= 18
            ? 'On PostgreSQL 18, add the constraint as ADD CONSTRAINT … NOT NULL col NOT VALID (instant) and VALIDATE CONSTRAINT it in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue).'
            : ctx.pgVersion >= 12
              ? 'Add CHECK (col IS NOT NULL) NOT VALID (instant), VALIDATE CONSTRAINT it in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue), then SET NOT NULL — PostgreSQL 12+ trusts the validated check and skips the scan — and drop the check.'
              : 'Before PostgreSQL 12, SET NOT NULL always scans the table, even with a validated CHECK (col IS NOT NULL). Keep such a check (added NOT VALID, validated later) instead of NOT NULL, or run this in a quiet period.',
        fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};

/** Replaces the SET NOT NULL by a NOT VALID constraint, with the rest of the recipe later. */
function checkFirstFix(ctx: StatementContext, cmdIndex: number, col: string): Fix | undefined {
  const { stmt, file } = ctx;
  const cmd = alterCommandRange(file, stmt, cmdIndex);
  if (!cmd) return undefined;
  const rel = rangeVarName(stmt.ast.relation);
  const table = qualifiedIdent(rel);
  const name = freshConstraintName(ctx.catalog, relKey(rel), rel.name, [col], 'not_null');
  const qn = quoteIdent(name);
  const qc = quoteIdent(col);
  const pg18 = ctx.pgVersion >= 18;
  const added = pg18
    ? `ADD CONSTRAINT ${qn} NOT NULL ${qc} NOT VALID`
    : `ADD CONSTRAINT ${qn} CHECK (${qc} IS NOT NULL) NOT VALID`;
  const later = pg18
    ? [validateSql(stmt.ast.relation, name)]
    : [
        validateSql(stmt.ast.relation, name),
        `ALTER TABLE ${table} ALTER COLUMN ${qc} SET NOT NULL;`,
        `ALTER TABLE ${table} DROP CONSTRAINT ${qn};`,
      ];
  const placed = placeLater(ctx, later);
  if (!placed) return undefined;
  return {
    title: pg18
      ? `Add NOT NULL ${col} NOT VALID and validate it ${placed.where}`
      : `Add CHECK (${col} IS NOT NULL) NOT VALID and validate it, SET NOT NULL ${placed.where}`,
    preferred: true,
    edits: mergeInserts([replace(file, cmd.start, cmd.end, added), ...placed.edits]),
  };
}
