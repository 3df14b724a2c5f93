/**
 * The name PostgreSQL gives an index created without one (ChooseIndexName): `table_cols_idx`,
 * shortened to fit an identifier and numbered past the names already taken in the schema.
 */
import { pgObjectName, stringList } from '../parser/ast';
import type { Ast } from '../parser/parse';
import type { Catalog } from './catalog';

export function defaultIndexName(catalog: Catalog, schema: string, table: string, a: Ast): string {
  const columns = (a.indexParams ?? []).map((p: Ast) => indexColumnName(p.IndexElem));
  const taken = (name: string) =>
    catalog.indexes.has(`${schema}.${name}`) ||
    catalog.tables.has(`${schema}.${name}`) ||
    catalog.matviews.has(`${schema}.${name}`);
  for (let pass = 0; ; pass++) {
    const label = pass ? `idx${pass}` : 'idx';
    const name = pgObjectName(table, columns.join('_'), label);
    if (!taken(name)) return name;
  }
}

/** A key column's name, or what PostgreSQL calls an expression (its function's name, or expr). */
function indexColumnName(elem: Ast): string {
  if (elem?.name) return elem.name;
  let e = elem?.expr;
  while (e?.TypeCast) e = e.TypeCast.arg;
  if (e?.FuncCall) return stringList(e.FuncCall.funcname).pop() ?? 'expr';
  if (e?.ColumnRef) return stringList(e.ColumnRef.fields).pop() ?? 'expr';
  return 'expr';
}
