/**
 * Undoing ADD CONSTRAINT: the constraints a statement added, by the names PostgreSQL gave them
 * (unnamed ones as the schema model worked the names out), dropped again.
 */
import type { Ast } from '../parser/parse';
import type { TableInfo } from '../schema/catalog';
import type { InvertContext } from './context';
import { quoteIdent } from './sql';
import type { Step } from './steps';

/** The constraints an ADD CONSTRAINT created (with PostgreSQL's names), dropped again. */
export function addedConstraints(
  ctx: InvertContext,
  t: TableInfo | undefined,
  key: string,
  cmd: Ast,
  droppedHere: Set<string>,
  nextName: () => string | undefined,
): Step[] {
  const con = cmd.def?.Constraint;
  const after = ctx.after().tables.get(key);
  if (!con || !after) return [];
  let names: string[];
  if (con.conname)
    names = t?.constraints.has(con.conname) && !droppedHere.has(con.conname) ? [] : [con.conname];
  else names = [nextName()].filter((n): n is string => !!n);
  const steps: Step[] = names.map((n) => ({ action: `DROP CONSTRAINT ${quoteIdent(n)}` }));
  // ADD PRIMARY KEY made its columns NOT NULL; dropping the key leaves them so
  if (con.contype === 'CONSTR_PRIMARY' && t && !t.uncertain)
    for (const colName of after.constraints.get(names[0] ?? '')?.columns ?? []) {
      const col = t.columns.get(colName);
      if (col && !col.notNull)
        steps.unshift({ action: `ALTER COLUMN ${quoteIdent(colName)} DROP NOT NULL` });
    }
  return steps;
}

/**
 * The names of the constraints an ALTER TABLE adds without naming them, in the order it adds
 * them (PostgreSQL's generated names, as the schema model worked them out).
 */
export function constraintNames(
  ctx: InvertContext,
  t: TableInfo | undefined,
  key: string,
): () => string | undefined {
  const a = ctx.stmt.ast;
  const named = new Set<string>();
  const addedColumns = new Set<string>();
  const dropped = new Set<string>();
  for (const w of a.cmds ?? []) {
    const cmd = w.AlterTableCmd;
    if (cmd?.subtype === 'AT_DropConstraint') dropped.add(cmd.name);
    if (cmd?.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.conname)
      named.add(cmd.def.Constraint.conname);
    if (cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef)
      addedColumns.add(cmd.def.ColumnDef.colname);
  }
  let queue: string[] | undefined;
  return () => {
    queue ??= [...(ctx.after().tables.get(key)?.constraints.values() ?? [])]
      // a name dropped by an earlier subcommand may be given again (DROP CONSTRAINT t_pkey,
      // ADD PRIMARY KEY …)
      .filter((c) => (!t?.constraints.has(c.name) || dropped.has(c.name)) && !named.has(c.name))
      // constraints of a column this statement adds go with the column
      .filter((c) => !(c.columns.length > 0 && c.columns.every((x) => addedColumns.has(x))))
      .map((c) => c.name);
    return queue.shift();
  };
}
