/**
 * What the current transaction did before the statement, for rules about two statements that
 * should not share a transaction: a constraint added NOT VALID, then validated.
 */
import { constraintNameParts, pgObjectName, rangeVarName, relKey } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import { transactionStart } from './lockWindow';
import type { StatementContext } from './types';

export interface AddedNotValid {
  stmt: Statement;
  lock: string;
}

/** The statement of this transaction that added `name` NOT VALID on the table, if any. */
export function addedNotValidInTransaction(
  ctx: StatementContext,
  key: string,
  name: string,
): AddedNotValid | undefined {
  const statements = ctx.section.parsed.statements;
  for (let i = transactionStart(ctx); i < ctx.position; i++) {
    const s = statements[i];
    if (s.kind !== 'AlterTableStmt' || relKey(rangeVarName(s.ast.relation)) !== key) continue;
    for (const c of s.ast.cmds ?? []) {
      const con: Ast =
        c.AlterTableCmd?.subtype === 'AT_AddConstraint' && c.AlterTableCmd.def?.Constraint;
      if (!con?.skip_validation) continue;
      if (!(con.conname ? con.conname === name : isGeneratedName(s, con, name))) continue;
      const lock =
        con.contype === 'CONSTR_FOREIGN'
          ? 'SHARE ROW EXCLUSIVE lock (writes blocked on both tables)'
          : 'ACCESS EXCLUSIVE lock (reads and writes blocked)';
      return { stmt: s, lock };
    }
  }
  return undefined;
}

/** Whether `name` is what PostgreSQL would call the unnamed constraint (`t_col_check`, `…1`). */
function isGeneratedName(s: Statement, con: Ast, name: string): boolean {
  const parts = constraintNameParts(con);
  if (!parts) return false;
  const table = rangeVarName(s.ast.relation).name;
  for (let pass = 0; pass < 10; pass++)
    if (
      pgObjectName(table, parts.columns.join('_'), pass ? `${parts.label}${pass}` : parts.label) ===
      name
    )
      return true;
  return false;
}

/** Whether the statement validates a constraint this transaction added NOT VALID. */
export function validatesOwnNotValid(ctx: StatementContext): boolean {
  const { stmt } = ctx;
  if (stmt.kind !== 'AlterTableStmt') return false;
  const key = relKey(rangeVarName(stmt.ast.relation));
  return (stmt.ast.cmds ?? []).some(
    (c: Ast) =>
      c.AlterTableCmd?.subtype === 'AT_ValidateConstraint' &&
      !!addedNotValidInTransaction(ctx, key, c.AlterTableCmd.name),
  );
}
