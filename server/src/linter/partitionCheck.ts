/**
 * ATTACH PARTITION proves that every row of the new partition fits its bounds. PostgreSQL skips
 * that scan when a validated CHECK constraint of the partition implies the partition constraint;
 * the schema model cannot run PostgreSQL's implication proof, so a validated CHECK that uses every
 * key column counts as the matching one. Also builds that CHECK from a FOR VALUES clause.
 */
import { quoteIdent, rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import type { Catalog, TableInfo } from '../schema/catalog';

/** The validated CHECK that lets ATTACH skip its scan, if the model knows one. */
export function boundCheckOf(
  catalog: Catalog,
  partitionKey: string,
  parentKey: string,
): string | undefined {
  const child = catalog.table(partitionKey);
  if (!child) return undefined;
  const keyCols = (catalog.table(parentKey)?.partitionKey?.columns ?? []).filter(
    (c): c is string => !!c,
  );
  for (const c of child.constraints.values()) {
    if (c.type !== 'check' || !c.validated) continue;
    if (keyCols.every((k) => c.columns.includes(k) || c.notNullColumn === k)) return c.name;
  }
  return undefined;
}

export interface AttachTarget {
  parent: string;
  partition: string;
  partitionName: { schema?: string; name: string };
  bound: Ast;
}

/** The ATTACH PARTITION subcommand of an ALTER TABLE, if any. */
export function attachOf(stmt: { kind: string; ast: Ast }): AttachTarget | undefined {
  if (stmt.kind !== 'AlterTableStmt') return undefined;
  for (const c of stmt.ast.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (cmd?.subtype !== 'AT_AttachPartition') continue;
    const pc = cmd.def?.PartitionCmd;
    if (!pc?.name) continue;
    const partitionName = rangeVarName(pc.name);
    return {
      parent: relKey(rangeVarName(stmt.ast.relation)),
      partition: relKey(partitionName),
      partitionName,
      bound: pc.bound,
    };
  }
  return undefined;
}

/**
 * The CHECK expression equivalent to a single-column RANGE or LIST bound, from the source text of
 * its values; undefined for HASH, DEFAULT, multi-column keys or an unknown key.
 */
export function boundExpression(
  parent: TableInfo | undefined,
  bound: Ast,
  datumText: (datum: Ast) => string | undefined,
): string | undefined {
  const key = parent?.partitionKey;
  if (!key || key.columns.length !== 1 || !key.columns[0] || bound?.is_default) return undefined;
  const col = quoteIdent(key.columns[0]);
  if (key.strategy === 'range' && bound.strategy === 'r') {
    if (bound.lowerdatums?.length !== 1 || bound.upperdatums?.length !== 1) return undefined;
    const lo = datumText(bound.lowerdatums[0]);
    const hi = datumText(bound.upperdatums[0]);
    if (!lo || !hi) return undefined;
    const parts = [`${col} IS NOT NULL`];
    if (!/^minvalue$/i.test(lo)) parts.push(`${col} >= ${lo}`);
    if (!/^maxvalue$/i.test(hi)) parts.push(`${col} < ${hi}`);
    return parts.join(' AND ');
  }
  if (key.strategy === 'list' && bound.strategy === 'l') {
    const values: string[] = [];
    let withNull = false;
    for (const d of bound.listdatums ?? []) {
      if (d?.A_Const?.isnull) {
        withNull = true;
        continue;
      }
      const t = datumText(d);
      if (!t) return undefined;
      values.push(t);
    }
    if (values.length === 0) return withNull ? `${col} IS NULL` : undefined;
    const inList = `${col} IN (${values.join(', ')})`;
    return withNull ? `(${col} IS NULL OR ${inList})` : `${col} IS NOT NULL AND ${inList}`;
  }
  return undefined;
}
