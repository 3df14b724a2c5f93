/**
 * The second source of the schema model: a live database. `readPgCatalog` runs a few read-only
 * queries on pg_catalog through any client (the `pg` driver, PGlite) and builds the same shapes the
 * replay of migrations builds, so rules judge a migration the same way whichever source seeded
 * the model. PostgreSQL 13 or later. Needs the parser (initParser): type names and CHECK
 * expressions are read back through it, as they are from migrations.
 */
import { notNullCheckColumn, typeRef, type TypeRef } from '../parser/ast';
import { parseSql } from '../parser/parse';
import { TextIndex } from '../text/positions';
import { argType } from './namedObjects';
import type {
  CatalogSnapshot,
  ConstraintInfo,
  IndexInfo,
  MatviewInfo,
  ObjectInfo,
  SchemaInfo,
  TableInfo,
  TypeInfo,
} from './catalog';

/** Runs one query and returns its rows as plain objects. */
export type QueryRows = (sql: string) => Promise<Record<string, unknown>[]>;

/** What objects seeded from a database say they were created by. */
export const FROM_DATABASE = 'database';

// user objects: not system schemas, not members of an extension
const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;
const NOT_EXTENSION = (cls: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${cls}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

export const PG_CATALOG_QUERIES = {
  schemas: `SELECT n.nspname AS name FROM pg_namespace n WHERE ${USER_NS}
    AND ${NOT_EXTENSION('pg_namespace', 'n.oid')} ORDER BY 1`,
  columns: `SELECT n.nspname AS schema, c.relname AS "table", c.relkind AS relkind,
      a.attname AS "column", format_type(a.atttypid, a.atttypmod) AS type,
      a.attnotnull AS not_null, a.atthasdef AS has_default,
      a.attidentity <> '' AS identity, a.attgenerated <> '' AS generated,
      par_n.nspname AS parent_schema, par.relname AS parent,
      coalesce(pg_get_expr(c.relpartbound, c.oid), '') = 'DEFAULT' AS default_partition,
      pt.partstrat AS strategy,
      ARRAY(SELECT coalesce(ka.attname, '') FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY k(attnum, ord)
        LEFT JOIN pg_attribute ka ON ka.attrelid = c.oid AND ka.attnum = k.attnum ORDER BY k.ord) AS key_columns
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_inherits inh ON c.relispartition AND inh.inhrelid = c.oid
    LEFT JOIN pg_class par ON par.oid = inh.inhparent
    LEFT JOIN pg_namespace par_n ON par_n.oid = par.relnamespace
    LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
    WHERE c.relkind IN ('r', 'p') AND ${USER_NS} AND ${NOT_EXTENSION('pg_class', 'c.oid')}
    ORDER BY n.nspname, c.relname, a.attnum`,
  constraints: `SELECT n.nspname AS schema, c.relname AS "table", con.conname AS name,
      con.contype AS type, con.convalidated AS validated,
      ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
      fn.nspname AS ref_schema, fc.relname AS ref_table, pg_get_constraintdef(con.oid) AS definition
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class fc ON fc.oid = con.confrelid
    LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
    WHERE con.contype IN ('c', 'f', 'u', 'p', 'x') AND con.conislocal AND con.conparentid = 0
      AND c.relkind IN ('r', 'p') AND ${USER_NS} AND ${NOT_EXTENSION('pg_class', 'c.oid')}
    ORDER BY 1, 2, 3`,
  // indexes that back a constraint are the constraint's; partitions of an index are the parent's
  indexes: `SELECT n.nspname AS schema, ic.relname AS name, tc.relname AS "table",
      i.indisunique AS "unique", i.indpred IS NOT NULL AS partial,
      ARRAY(SELECT CASE WHEN k.attnum = 0 THEN '(expr)' ELSE a.attname END
        FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
        LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
    WHERE tc.relkind IN ('r', 'p', 'm') AND NOT ic.relispartition AND ${USER_NS}
      AND ${NOT_EXTENSION('pg_class', 'tc.oid')}
      AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid
        AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
    ORDER BY 1, 2`,
  types: `SELECT n.nspname AS schema, t.typname AS name, t.typtype AS kind,
      ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS "values"
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE (t.typtype IN ('e', 'd')
        OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
      AND ${USER_NS} AND ${NOT_EXTENSION('pg_type', 't.oid')}
    ORDER BY 1, 2`,
  // sequences owned by a column (serial, identity) belong to that column
  relations: `SELECT n.nspname AS schema, c.relname AS name, c.relkind AS relkind,
      c.relispopulated AS populated
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm', 'S') AND ${USER_NS} AND ${NOT_EXTENSION('pg_class', 'c.oid')}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
        AND d.objid = c.oid AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0)
    ORDER BY 1, 2`,
  routines: `SELECT n.nspname AS schema, p.proname AS name, p.prokind AS kind,
      ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY a(t, ord) ORDER BY ord) AS args
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind IN ('f', 'p') AND ${USER_NS} AND ${NOT_EXTENSION('pg_proc', 'p.oid')}
    ORDER BY 1, 2`,
  triggers: `SELECT n.nspname AS schema, c.relname AS "table", tg.tgname AS name
    FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT tg.tgisinternal AND tg.tgparentid = 0 AND ${USER_NS}
    ORDER BY 1, 2, 3`,
  extensions: `SELECT extname AS name FROM pg_extension ORDER BY 1`,
} as const;

type Row = Record<string, unknown>;

/** Reads a live database's schema into the model's snapshot shape. */
export async function readPgCatalog(query: QueryRows): Promise<CatalogSnapshot> {
  const rows = {} as Record<keyof typeof PG_CATALOG_QUERIES, Row[]>;
  for (const [name, sql] of Object.entries(PG_CATALOG_QUERIES))
    rows[name as keyof typeof PG_CATALOG_QUERIES] = await query(sql);
  return snapshotFromRows(rows);
}

/** Builds the snapshot from the rows of PG_CATALOG_QUERIES (by query name). */
export function snapshotFromRows(
  rows: Record<keyof typeof PG_CATALOG_QUERIES, Row[]>,
): CatalogSnapshot {
  const tables = new Map<string, TableInfo>();
  for (const r of rows.columns) {
    const key = `${str(r.schema)}.${str(r.table)}`;
    let t = tables.get(key);
    if (!t) {
      t = {
        schema: str(r.schema),
        name: str(r.table),
        columns: new Map(),
        constraints: new Map(),
        createdIn: FROM_DATABASE,
        uncertain: false,
        partitioned: r.relkind === 'p',
      };
      if (r.parent) {
        t.partitionOf = `${str(r.parent_schema)}.${str(r.parent)}`;
        t.defaultPartition = r.default_partition === true;
      }
      const strategy = STRATEGIES[str(r.strategy)];
      if (strategy)
        t.partitionKey = {
          strategy,
          columns: list(r.key_columns).map((c) => (c === '' ? undefined : c)),
        };
      tables.set(key, t);
    }
    if (r.column === null || r.column === undefined) continue;
    const generated = r.generated === true;
    t.columns.set(str(r.column), {
      name: str(r.column),
      type: typeFromSql(str(r.type)),
      notNull: r.not_null === true,
      // PostgreSQL keeps a generated column's expression as its default
      hasDefault: r.has_default === true && !generated,
      identity: r.identity === true,
      generated,
    });
  }
  for (const r of rows.constraints) {
    const t = tables.get(`${str(r.schema)}.${str(r.table)}`);
    const type = CONTYPES[str(r.type)];
    if (!t || !type) continue;
    const info: ConstraintInfo = {
      name: str(r.name),
      type,
      validated: r.validated === true,
      columns: list(r.columns),
      createdIn: FROM_DATABASE,
    };
    if (type === 'foreign') info.references = `${str(r.ref_schema)}.${str(r.ref_table)}`;
    if (type === 'check') info.notNullColumn = checkNotNullColumn(str(r.definition));
    t.constraints.set(info.name, info);
  }
  const indexes: IndexInfo[] = rows.indexes.map((r) => ({
    name: str(r.name),
    schema: str(r.schema),
    table: str(r.table),
    columns: list(r.columns),
    unique: r.unique === true,
    partial: r.partial === true,
    createdIn: FROM_DATABASE,
  }));
  const types: TypeInfo[] = rows.types.map((r) => ({
    schema: str(r.schema),
    name: str(r.name),
    kind: r.kind === 'e' ? 'enum' : r.kind === 'd' ? 'domain' : 'composite',
    values: list(r.values),
    createdIn: FROM_DATABASE,
  }));
  const schemas: SchemaInfo[] = rows.schemas.map((r) => ({
    name: str(r.name),
    createdIn: FROM_DATABASE,
  }));
  const matviews: MatviewInfo[] = [];
  const objects: ObjectInfo[] = [];
  for (const r of rows.relations) {
    const base = { schema: str(r.schema), name: str(r.name), createdIn: FROM_DATABASE };
    if (r.relkind === 'm') matviews.push({ ...base, populated: r.populated === true });
    else objects.push({ ...base, kind: r.relkind === 'v' ? 'view' : 'sequence' });
  }
  for (const r of rows.routines)
    objects.push({
      kind: r.kind === 'p' ? 'procedure' : 'function',
      schema: str(r.schema),
      name: str(r.name),
      args: list(r.args).map((t) => argType(typeNameFromSql(t))),
      createdIn: FROM_DATABASE,
    });
  for (const r of rows.triggers)
    objects.push({
      kind: 'trigger',
      schema: str(r.schema),
      name: str(r.name),
      table: `${str(r.schema)}.${str(r.table)}`,
      createdIn: FROM_DATABASE,
    });
  for (const r of rows.extensions)
    objects.push({ kind: 'extension', schema: '', name: str(r.name), createdIn: FROM_DATABASE });
  return { tables: [...tables.values()], indexes, types, matviews, schemas, objects };
}

const STRATEGIES: Record<string, 'range' | 'list' | 'hash' | undefined> = {
  r: 'range',
  l: 'list',
  h: 'hash',
};

const CONTYPES: Record<string, ConstraintInfo['type'] | undefined> = {
  c: 'check',
  f: 'foreign',
  u: 'unique',
  p: 'primary',
  x: 'exclude',
};

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v);
}

/** A text[] column: an array from most drivers, the `{a,b}` literal from some. */
function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(str);
  if (typeof v === 'string' && v.startsWith('{')) return parseArrayLiteral(v);
  return [];
}

function parseArrayLiteral(v: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^,{}]+)/g;
  for (const m of v.slice(1, -1).matchAll(re))
    out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
  return out;
}

/** The parse tree of a type as format_type() spells it, read the way a migration's would be. */
function typeNameFromSql(sql: string) {
  const parsed = parseSql(new TextIndex(`SELECT NULL::${sql}`));
  return parsed.statements[0]?.ast?.targetList?.[0]?.ResTarget?.val?.TypeCast?.typeName;
}

function typeFromSql(sql: string): TypeRef {
  const t = typeNameFromSql(sql);
  return t ? typeRef(t) : { name: sql, mods: [], opaqueMods: true, array: false };
}

/** `CHECK ((a IS NOT NULL)) [NOT VALID]` → a. */
function checkNotNullColumn(definition: string): string | undefined {
  const m = /^CHECK\s*(\(.*\))(?:\s+NOT VALID)?$/is.exec(definition.trim());
  if (!m) return undefined;
  const parsed = parseSql(new TextIndex(`SELECT ${m[1]}`));
  return notNullCheckColumn(parsed.statements[0]?.ast?.targetList?.[0]?.ResTarget?.val);
}
