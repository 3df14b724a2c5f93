/**
 * Undoing ALTER COLUMN … TYPE: the earlier type from the schema model, with the USING cast it
 * needs, the default written for that type, and the expression indexes on the column rebuilt.
 */
import { typeDisplay, typeRef, type TypeRef } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { onTable, type TableInfo } from '../schema/catalog';
import type { InvertContext } from './context';
import { createIndexSql } from './tableSql';
import { qkey, qname, quoteIdent } from './sql';
import type { Step } from './steps';
import { narrows, needsUsing } from './typeChange';

/**
 * ALTER COLUMN … TYPE back to the type the model had, with the default put back around it, and
 * the expression indexes on the column rebuilt from their definition (a type change rewrites
 * their expressions for the new type; going back would not undo that). Steps in reverse order.
 */
export function typeBack(
  ctx: InvertContext,
  t: TableInfo | undefined,
  key: string,
  cmd: Ast,
): Step[] {
  const name: string = cmd.name;
  const col = t && !t.uncertain ? t.columns.get(name) : undefined;
  if (!col?.typeSql)
    return [
      {
        item: {
          todo: `restore the earlier type of ${key}.${name}: the schema model does not know it`,
        },
      },
    ];
  const rebuild: Step[] = [];
  for (const i of ctx.before.indexes.values()) {
    if (!onTable(i, key) || !i.tail?.names.includes(name)) continue;
    if (!i.columns.includes('(expr)') && !i.partial) continue;
    const sql = createIndexSql(i);
    if (!sql) continue;
    rebuild.push({ item: { sql } }, { item: { sql: `DROP INDEX ${qname(i.schema, i.name)}` } });
  }
  const c = quoteIdent(name);
  const now = typeRef(cmd.def?.ColumnDef?.typeName);
  // enums convert to one another only through text
  const viaText =
    isEnum(ctx, now) || isEnum(ctx, col.type) ? (col.type.array ? '::text[]' : '::text') : '';
  const using = needsUsing(now, col.type) ? ` USING ${c}${viaText}::${col.typeSql}` : '';
  const collate = col.collation ? ` COLLATE ${col.collation}` : '';
  let sql = `ALTER TABLE ${qkey(key)} ALTER COLUMN ${c} TYPE ${col.typeSql}${collate}${using}`;
  // the default was cast to the new type: put the one written for the old type back
  if (col.hasDefault && col.defaultText)
    sql = `ALTER TABLE ${qkey(key)} ALTER COLUMN ${c} DROP DEFAULT, ALTER COLUMN ${c} TYPE ${col.typeSql}${collate}${using}, ALTER COLUMN ${c} SET DEFAULT ${col.defaultText}`;
  const note = narrows(now, col.type)
    ? `${key}.${name} goes back from ${typeDisplay(now)} to ${typeDisplay(col.type)}: values that do not fit it make this fail`
    : undefined;
  return [...rebuild, { item: { sql, note } }];
}

function isEnum(ctx: InvertContext, ref: TypeRef): boolean {
  for (const t of ctx.before.types.values())
    if (
      t.kind === 'enum' &&
      t.name.toLowerCase() === ref.name &&
      (ref.schema ?? t.schema) === t.schema
    )
      return true;
  return false;
}
