/**
 * ban-drop-foreign-key: dropping a foreign key ends referential integrity from that moment: rows
 * pointing at missing parents can be written, and ON DELETE CASCADE / SET NULL stop acting. Which
 * constraint is a foreign key comes from the schema model; a constraint the model does not know is
 * judged by its name (PostgreSQL's `…_fkey`, or fk_…/…_fk). Not flagged: a foreign key created in
 * the same migration (a DOWN dropping what its UP added), a table created in it, and a foreign key
 * added again later in the migration (to change its columns or ON DELETE action), or whose table,
 * parent table or column is dropped later in it (ban-drop-table and ban-drop-column report that).
 */
import { rangeVarName, relKey, stringList } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import { commandOrStatement } from '../linter/alterText';
import { laterStatements } from '../linter/laterStatements';
import type { Rule } from '../linter/types';
import type { ConstraintInfo } from '../schema/catalog';

const FK_NAME = /_fkey\d*$|^fk_|_fk$|_fk_/i;

export const rule: Rule = {
  id: 'ban-drop-foreign-key',
  summary: 'Dropping a foreign key lets rows point at missing parents from then on.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = rangeVarName(stmt.ast.relation);
    const key = relKey(rel);
    if (ctx.isNewTable(key)) return;
    (stmt.ast.cmds ?? []).forEach((c: Ast, i: number) => {
      const cmd = c.AlterTableCmd;
      if (cmd?.subtype !== 'AT_DropConstraint' || !cmd.name) return;
      const table = ctx.catalog.table(key);
      const known = ctx.catalog.constraint(key, cmd.name);
      const modelled = table && !table.uncertain && table.createdIn !== '' && !ctx.catalog.opaque;
      let byName = false;
      if (known) {
        if (known.type !== 'foreign' || known.createdIn === ctx.migration.id) return;
      } else {
        // the model knows the table and has no such constraint (IF EXISTS of nothing)
        if (modelled || !FK_NAME.test(cmd.name)) return;
        byName = true;
      }
      // later subcommands of this statement count too: DROP CONSTRAINT x, ADD CONSTRAINT x …
      const rest = { ...stmt, ast: { ...stmt.ast, cmds: stmt.ast.cmds.slice(i + 1) } };
      if (addedBackOrDropped([rest, ...laterStatements(ctx)], key, cmd.name, known)) return;
      const range = commandOrStatement(ctx.file, stmt, i);
      const target = known?.references ? ` to ${known.references.replace(/^public\./, '')}` : '';
      ctx.report(this.id, {
        start: range.start,
        end: range.end,
        message: `Dropping foreign key ${cmd.name}${target} on ${rel.name}${byName ? ' (a foreign key by its name; the schema model does not know it)' : ''} ends referential integrity: from now on rows can point at missing parents, and its ON DELETE action stops.`,
        help: 'Keep the constraint until no code relies on it; to change it, add the new foreign key NOT VALID in the same migration and VALIDATE it in the next.',
        fixes: [ctx.disableForLine(stmt.start, this.id)],
      });
    });
  },
};

/**
 * A later statement of the migration adds a foreign key with that name or those columns back, or
 * drops the table, the table it points at or its column (their own rules report those).
 */
function addedBackOrDropped(
  later: Statement[],
  key: string,
  name: string,
  known: ConstraintInfo | undefined,
): boolean {
  const columns = known?.columns;
  for (const s of later) {
    if (s.kind === 'DropStmt' && s.ast.removeType === 'OBJECT_TABLE') {
      for (const o of s.ast.objects ?? []) {
        const dropped = relKey(rangeVarNameOfList(o));
        if (dropped === key || dropped === known?.references) return true;
      }
    }
    if (s.kind !== 'AlterTableStmt' || relKey(rangeVarName(s.ast.relation)) !== key) continue;
    for (const c of s.ast.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      if (cmd?.subtype === 'AT_DropColumn' && columns?.includes(cmd.name)) return true;
      const con = cmd?.subtype === 'AT_AddConstraint' && cmd.def?.Constraint;
      if (!con || con.contype !== 'CONSTR_FOREIGN') continue;
      if (con.conname === name) return true;
      const cols = stringList(con.fk_attrs);
      if (columns && cols.length > 0 && cols.join(',') === columns.join(',')) return true;
    }
  }
  return false;
}

function rangeVarNameOfList(o: Ast): { schema?: string; name: string } {
  const items = stringList(o.List?.items);
  return items.length > 1 ? { schema: items[0], name: items[1] } : { name: items[0] ?? '' };
}
