/**
 * SQL that recreates tables, columns, constraints and indexes as the schema model knows them;
 * undefined where it does not know a definition exactly.
 */
import { pgObjectName } from '../parser/ast';
import type { ColumnInfo, ConstraintInfo, IndexInfo, TableInfo } from '../schema/catalog';
import { qname, quoteIdent } from './sql';
import type { DownItem } from './types';

const SERIAL_TYPES: Record<string, string> = {
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
};

/**
 * The sequence of a serial column when `serial` would not bring that one back (the table was
 * renamed since, or the name was taken): it is then created explicitly, as serial does.
 */
export function serialSequence(
  col: ColumnInfo,
  table: { schema: string; name: string },
): { name: string; type: string } | undefined {
  if (!col.serial) return undefined;
  const m = /^nextval\('(.*)'::regclass\)$/.exec(col.defaultText ?? '');
  if (!m) return undefined;
  const name = m[1].replace(/''/g, "'");
  if (name === qname(table.schema, pgObjectName(table.name, col.name, 'seq'))) return undefined;
  return { name, type: SERIAL_TYPES[col.serial] ?? 'integer' };
}

export function columnDefSql(
  col: ColumnInfo,
  table: { schema: string; name: string },
): string | undefined {
  if (col.serial) {
    // serial brings its sequence, default and NOT NULL back together
    if (!col.notNull || col.identity || col.generated) return undefined;
    const seq = serialSequence(col, table);
    if (!seq) return `${quoteIdent(col.name)} ${col.serial}`;
    return `${quoteIdent(col.name)} ${seq.type} DEFAULT ${col.defaultText} NOT NULL`;
  }
  if (!col.typeSql) return undefined;
  let sql = `${quoteIdent(col.name)} ${col.typeSql}`;
  if (col.collation) sql += ` COLLATE ${col.collation}`;
  if (col.generated) {
    if (!col.generatedSql) return undefined;
    sql += ` ${col.generatedSql.text}`;
  } else if (col.identity) {
    if (!col.identityText) return undefined;
    sql += ` ${col.identityText}`;
  } else if (col.hasDefault) {
    if (!col.defaultText) return undefined;
    sql += ` DEFAULT ${col.defaultText}`;
  }
  if (col.notNull) sql += ' NOT NULL';
  return sql;
}

export function constraintSql(c: ConstraintInfo): string | undefined {
  if (!c.definition) return undefined;
  const notValid = !c.validated && (c.type === 'check' || c.type === 'foreign');
  return `CONSTRAINT ${quoteIdent(c.name)} ${c.definition.text}${notValid ? ' NOT VALID' : ''}`;
}

/** Constraints recreated with their table: NOT NULL lives on the columns. */
export function tableConstraints(t: TableInfo): ConstraintInfo[] {
  return [...t.constraints.values()].filter((c) => c.type !== 'notnull');
}

/** Serial sequences created by hand around a column or table (see serialSequence). */
export function serialItems(
  cols: Iterable<ColumnInfo>,
  t: { schema: string; name: string },
): { pre: DownItem[]; post: DownItem[] } {
  const pre: DownItem[] = [];
  const post: DownItem[] = [];
  for (const col of cols) {
    const seq = serialSequence(col, t);
    if (!seq) continue;
    pre.push({ sql: `CREATE SEQUENCE ${seq.name} AS ${seq.type}` });
    post.push({
      sql: `ALTER SEQUENCE ${seq.name} OWNED BY ${qname(t.schema, t.name)}.${quoteIdent(col.name)}`,
    });
  }
  return { pre, post };
}

/**
 * CREATE TABLE (with the sequences of its serial columns) for a table the model knows
 * completely; `skip` names constraints to leave for later (foreign keys to tables recreated
 * after this one).
 */
export function createTableItems(
  t: TableInfo,
  skip: ReadonlySet<string> = new Set(),
): DownItem[] | undefined {
  const sql = createTableSql(t, skip);
  if (!sql) return undefined;
  const { pre, post } = serialItems(t.columns.values(), t);
  return [...pre, { sql }, ...post];
}

export function createTableSql(
  t: TableInfo,
  skip: ReadonlySet<string> = new Set(),
): string | undefined {
  if (t.uncertain || t.notRecreatable || t.partitionOf) return undefined;
  const lines: string[] = [];
  for (const col of t.columns.values()) {
    const sql = columnDefSql(col, t);
    if (!sql) return undefined;
    lines.push(sql);
  }
  for (const c of tableConstraints(t)) {
    if (skip.has(c.name)) continue;
    const sql = constraintSql(c);
    if (!sql) return undefined;
    lines.push(sql);
  }
  const head = `CREATE ${t.unlogged ? 'UNLOGGED ' : ''}TABLE ${qname(t.schema, t.name)}`;
  const body = lines.length ? ` (\n  ${lines.join(',\n  ')}\n)` : ' ()';
  return head + body + (t.tail ? ` ${t.tail.text}` : '');
}

export function createIndexSql(i: IndexInfo): string | undefined {
  if (!i.tail) return undefined;
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${qname(i.schema, i.table)} ${i.tail.text}`;
}
