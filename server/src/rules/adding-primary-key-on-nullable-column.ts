/**
 * adding-primary-key-on-nullable-column: a primary key makes its columns NOT NULL. When the schema
 * model knows a column of an existing table is nullable, ADD PRIMARY KEY (cols) — and ADD
 * CONSTRAINT … PRIMARY KEY USING INDEX, which is otherwise instant — first scans every row under
 * ACCESS EXCLUSIVE to prove there is no NULL. From PostgreSQL 12 a validated CHECK (col IS NOT
 * NULL) lets SET NOT NULL skip that scan, so the fix makes the columns NOT NULL with that recipe
 * before the primary key is added. The index build of a primary key without USING INDEX is
 * adding-serial-primary-key-field's concern. Columns the model does not know are not judged.
 */
import { qualifiedIdent, quoteIdent, rangeVarName, relKey, stringList } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import { replace } from '../linter/fixes';
import { mergeInserts } from '../linter/afterStatement';
import { freshConstraintName, placeLater, validateSql } from '../linter/notValidFix';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'adding-primary-key-on-nullable-column',
  summary:
    'A primary key on columns that are still nullable sets them NOT NULL with a full scan under an ACCESS EXCLUSIVE lock.',
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
      if (con?.contype !== 'CONSTR_PRIMARY') return;
      const columns = con.indexname
        ? ctx.catalog.indexes.get(`${rel.schema ?? 'public'}.${con.indexname}`)?.columns
        : stringList(con.keys);
      const nullable = (columns ?? []).filter((col) => isNullable(ctx, key, col));
      if (nullable.length === 0) return;
      const range = commandOrStatement(ctx.file, stmt, i);
      const how = con.indexname ? ` USING INDEX ${con.indexname}` : '';
      const fix = notNullFirstFix(ctx, nullable);
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Adding the primary key of ${rel.name}${how} makes ${nullable.join(', ')} NOT NULL, which scans every row under an ACCESS EXCLUSIVE lock: reads and writes of ${rel.name} are blocked until the scan ends.`,
        help:
          ctx.pgVersion >= 18
            ? 'Make the columns NOT NULL first: ADD CONSTRAINT … NOT NULL col NOT VALID (instant), VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue), then add the primary key.'
            : ctx.pgVersion >= 12
              ? 'Make the columns NOT NULL first: ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes continue), SET NOT NULL (no scan once the check is validated), then add the primary key and drop the check.'
              : 'Before PostgreSQL 12, SET NOT NULL always scans the table, and so does a primary key on nullable columns: run it in a quiet period with a short lock_timeout.',
        fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};

function isNullable(ctx: StatementContext, key: string, col: string): boolean {
  if (ctx.isNewColumn(key, col)) return false;
  const info = ctx.catalog.column(key, col);
  if (!info || info.notNull) return false;
  return !(ctx.pgVersion >= 12 && ctx.catalog.validatedNotNullCheck(key, col));
}

/**
 * In place of the statement: the NOT VALID constraints. Later (another transaction): VALIDATE,
 * SET NOT NULL, the statement itself, and DROP of the helper checks. Only when the statement is
 * the primary key alone and nothing after it in the section could depend on it.
 */
function notNullFirstFix(ctx: StatementContext, cols: string[]): Fix | undefined {
  if (ctx.pgVersion < 12) return undefined;
  const { stmt, section } = ctx;
  if (stmt.ast.cmds?.length !== 1) return undefined;
  const autocommit =
    !ctx.tx.inTransaction &&
    section.transaction !== 'single-query' &&
    section.transaction !== 'auto';
  if (!autocommit && ctx.following.length > 0) return undefined;
  const rel = rangeVarName(stmt.ast.relation);
  const key = relKey(rel);
  const table = qualifiedIdent(rel);
  const pg18 = ctx.pgVersion >= 18;
  const names: string[] = [];
  for (const col of cols) {
    let name = freshConstraintName(ctx.catalog, key, rel.name, [col], 'not_null');
    // two columns of one table must not get the same fresh name
    for (let n = 1; names.includes(name); n++)
      name = freshConstraintName(ctx.catalog, key, rel.name, [col], `not_null${n}`);
    names.push(name);
  }
  const adds = cols.map((col, i) =>
    pg18
      ? `ADD CONSTRAINT ${quoteIdent(names[i])} NOT NULL ${quoteIdent(col)} NOT VALID`
      : `ADD CONSTRAINT ${quoteIdent(names[i])} CHECK (${quoteIdent(col)} IS NOT NULL) NOT VALID`,
  );
  const statement = stmt.text.endsWith(';') ? stmt.text : `${stmt.text};`;
  const later = [
    ...names.map((n) => validateSql(stmt.ast.relation, n)),
    ...(pg18
      ? []
      : [
          `ALTER TABLE ${table} ${cols.map((c) => `ALTER COLUMN ${quoteIdent(c)} SET NOT NULL`).join(', ')};`,
        ]),
    statement,
    ...(pg18
      ? []
      : [
          `ALTER TABLE ${table} ${names.map((n) => `DROP CONSTRAINT ${quoteIdent(n)}`).join(', ')};`,
        ]),
  ];
  const placed = placeLater(ctx, later);
  if (!placed) return undefined;
  return {
    title: `Make ${cols.join(', ')} NOT NULL first (NOT VALID now, VALIDATE ${later.length > 2 ? 'and the primary key ' : ''}${placed.where})`,
    preferred: true,
    edits: mergeInserts([
      replace(ctx.file, stmt.start, stmt.end, `ALTER TABLE ${table} ${adds.join(', ')}`),
      ...placed.edits,
    ]),
  };
}
