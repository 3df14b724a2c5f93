/**
 * renaming-column: ALTER TABLE … RENAME COLUMN on an existing column is instant, but every running
 * version of the application that still uses the old name fails from that moment. Keep the old
 * name in the database (rename in the ORM only), or expand and contract: add the new column, write
 * both, backfill, move readers, then drop the old one. Columns and tables created earlier in the
 * same migration are exempt, and so is a rename followed in the same migration by a compatibility
 * view that still exposes the column under its old name (`SELECT …, new AS old FROM t`, typically
 * with the table renamed and the view taking its name).
 */
import { rangeVarName, relKey, walkAst } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import { laterStatements } from '../linter/laterStatements';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'renaming-column',
  summary: 'Renaming a column breaks running code that still uses the old name.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'RenameStmt' || stmt.ast.renameType !== 'OBJECT_COLUMN') return;
    if (stmt.ast.relationType !== 'OBJECT_TABLE') return;
    const rel = rangeVarName(stmt.ast.relation);
    if (ctx.isNewColumn(relKey(rel), stmt.ast.subname)) return;
    if (compatibilityView(laterStatements(ctx), relKey(rel), stmt.ast.subname, stmt.ast.newname))
      return;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `Renaming ${rel.name}.${stmt.ast.subname} to ${stmt.ast.newname} breaks every running client that still uses the old name.`,
      help: 'Rename only in the application (ORM column mapping), or expand and contract: add the new column, write to both, backfill, switch readers, then drop the old column in a later release. To rename in one step, rename the table too and keep its old name as a view that selects the new column under the old name.',
      fixes: [ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

/**
 * A later view over the table (followed through table renames) that selects the new column under
 * the old name: old code reading the view keeps working.
 */
function compatibilityView(
  later: Statement[],
  key: string,
  oldName: string,
  newName: string,
): boolean {
  let table = key;
  for (const s of later) {
    if (s.kind === 'RenameStmt' && s.ast.renameType === 'OBJECT_TABLE') {
      const from = rangeVarName(s.ast.relation);
      if (relKey(from) === table) table = relKey({ schema: from.schema, name: s.ast.newname });
      continue;
    }
    if (s.kind !== 'ViewStmt' || !readsTable(s.ast.query, table)) continue;
    const targets: Ast[] = s.ast.query?.SelectStmt?.targetList ?? [];
    const aliased = targets.some((t) => {
      const r = t.ResTarget;
      const fields: Ast[] = r?.val?.ColumnRef?.fields ?? [];
      return r?.name === oldName && fields[fields.length - 1]?.String?.sval === newName;
    });
    // or a view column list renaming the columns: CREATE VIEW v (…, old, …) AS SELECT …, new, …
    const listed = viewColumnAt(s.ast, targets, newName) === oldName;
    if (aliased || listed) return true;
  }
  return false;
}

// every rename asks every later view: what a view reads is worked out once per parse tree
const tablesRead = new WeakMap<Ast, Set<string>>();

function readsTable(query: Ast, key: string): boolean {
  if (!query) return false;
  let tables = tablesRead.get(query);
  if (!tables) {
    const found = new Set<string>();
    walkAst(query, (k, v) => {
      if (k === 'RangeVar' && v.relname) found.add(relKey(rangeVarName(v)));
    });
    tablesRead.set(query, (tables = found));
  }
  return tables.has(key);
}

/** The view column name given (in CREATE VIEW v (a, b)) to the select item that is `column`. */
function viewColumnAt(view: Ast, targets: Ast[], column: string): string | undefined {
  const names: Ast[] = view.aliases ?? [];
  const i = targets.findIndex((t) => {
    const fields: Ast[] = t.ResTarget?.val?.ColumnRef?.fields ?? [];
    return !t.ResTarget?.name && fields[fields.length - 1]?.String?.sval === column;
  });
  return i >= 0 ? names[i]?.String?.sval : undefined;
}
