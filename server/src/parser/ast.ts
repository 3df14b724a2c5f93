/**
 * Small readers over libpg-query's JSON parse tree, shared by the schema model, the rules and the
 * fixes.
 */
import type { Ast } from './parse';

export interface QualifiedName {
  schema?: string;
  name: string;
}

/** `schema.name` key of a RangeVar, with `public` for unqualified names. */
export function relKey(rel: { schema?: string; name: string }): string {
  return `${rel.schema ?? 'public'}.${rel.name}`;
}

export function rangeVarName(rv: Ast): QualifiedName {
  return { schema: rv?.schemaname, name: rv?.relname ?? '' };
}

/** Strings of a `[{String:{sval}}]` list. */
export function stringList(list: Ast[] | undefined): string[] {
  return (list ?? []).map((n: Ast) => n?.String?.sval ?? n?.sval ?? '').filter((s) => s !== '');
}

/** A qualified name from a `[{String}]` list (`['s','t']` → s.t). */
export function listName(list: Ast[] | undefined): QualifiedName {
  const parts = stringList(list);
  if (parts.length >= 2) return { schema: parts[parts.length - 2], name: parts[parts.length - 1] };
  return { name: parts[0] ?? '' };
}

export interface TypeRef {
  /** Lower-case type name without schema, as PostgreSQL stores it (int4, varchar, timestamptz). */
  name: string;
  schema?: string;
  /** Integer type modifiers (varchar(255) → [255], numeric(10,2) → [10,2]). */
  mods: number[];
  /** True when some modifier is not a plain integer. */
  opaqueMods: boolean;
  array: boolean;
}

const DISPLAY: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
  varchar: 'varchar',
  timestamptz: 'timestamptz',
  timestamp: 'timestamp',
  timetz: 'timetz',
};

const ALIASES: Record<string, string> = {
  integer: 'int4',
  int: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  real: 'float4',
  boolean: 'bool',
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  decimal: 'numeric',
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
};

export function typeRef(typeName: Ast): TypeRef {
  const parts = stringList(typeName?.names);
  let name = (parts[parts.length - 1] ?? '').toLowerCase();
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  name = ALIASES[name] ?? name;
  const mods: number[] = [];
  let opaqueMods = false;
  for (const m of typeName?.typmods ?? []) {
    const v = m?.A_Const?.ival?.ival ?? (m?.A_Const?.ival ? 0 : undefined);
    if (typeof v === 'number') mods.push(v);
    else opaqueMods = true;
  }
  return {
    name,
    schema: schema === 'pg_catalog' ? undefined : schema,
    mods,
    opaqueMods,
    array: Array.isArray(typeName?.arrayBounds) && typeName.arrayBounds.length > 0,
  };
}

/** Whether a type name as written is serial-like (implies a sequence default). */
export function isSerialType(typeName: Ast): boolean {
  const parts = stringList(typeName?.names);
  return /^(small|big)?serial[248]?$/i.test(parts[parts.length - 1] ?? '');
}

export function typeDisplay(t: TypeRef): string {
  const base = (t.schema ? `${t.schema}.` : '') + (DISPLAY[t.name] ?? t.name);
  const mods = t.mods.length ? `(${t.mods.join(',')})` : '';
  return base + mods + (t.array ? '[]' : '');
}

export function sameType(a: TypeRef, b: TypeRef): boolean {
  return (
    a.name === b.name &&
    (a.schema ?? '') === (b.schema ?? '') &&
    a.array === b.array &&
    a.mods.join(',') === b.mods.join(',') &&
    !a.opaqueMods &&
    !b.opaqueMods
  );
}

/** Constraints attached to a ColumnDef. */
export function columnConstraints(colDef: Ast): Ast[] {
  return (colDef?.constraints ?? []).map((c: Ast) => c.Constraint).filter(Boolean);
}

/** Visits every object node of an AST (depth first). */
export function walkAst(node: Ast, visit: (key: string, value: Ast) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walkAst(n, visit);
    return;
  }
  if (node && typeof node === 'object') {
    // for…in over parsed JSON (no inherited keys): Object.entries allocates per node, and
    // walks run over every statement many times
    for (const k in node) {
      const v = node[k];
      if (v && typeof v === 'object') {
        visit(k, v);
        walkAst(v, visit);
      }
    }
  }
}

/** Column name of an expression that is a bare column reference. */
export function columnRefName(expr: Ast): string | undefined {
  const fields = expr?.ColumnRef?.fields;
  if (!Array.isArray(fields) || fields.length === 0) return undefined;
  return fields[fields.length - 1]?.String?.sval;
}

/** `col IS NOT NULL` → col. */
export function notNullCheckColumn(expr: Ast): string | undefined {
  const t = expr?.NullTest;
  if (t && t.nulltesttype === 'IS_NOT_NULL') return columnRefName(t.arg);
  return undefined;
}

/** Quotes an identifier when PostgreSQL needs it to be quoted. */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualifiedIdent(q: QualifiedName): string {
  return (q.schema ? `${quoteIdent(q.schema)}.` : '') + quoteIdent(q.name);
}

const NAMEDATALEN = 63;

/**
 * PostgreSQL's makeObjectName: `name1_name2_label`, with the longer of name1/name2 shortened
 * until the whole fits in an identifier.
 */
export function pgObjectName(name1: string, name2: string, label: string): string {
  const overhead = (name2 ? 1 : 0) + (label ? label.length + 1 : 0);
  let l1 = name1.length;
  let l2 = name2.length;
  while (l1 + l2 > NAMEDATALEN - overhead) {
    if (l1 > l2) l1--;
    else l2--;
  }
  return [name1.slice(0, l1), name2.slice(0, l2), label].filter((s) => s !== '').join('_');
}

const NAME_LABELS: Record<string, string> = {
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'fkey',
  CONSTR_UNIQUE: 'key',
  CONSTR_PRIMARY: 'pkey',
  CONSTR_EXCLUSION: 'excl',
  CONSTR_NOTNULL: 'not_null',
};

/**
 * The columns and label of the name PostgreSQL generates for an unnamed constraint
 * (`table_cols_label`): a CHECK names its column only when the expression uses exactly one, a
 * primary key names none.
 */
export function constraintNameParts(
  con: Ast,
  columnsOfColumnDef?: string[],
): { columns: string[]; label: string } | undefined {
  const label = NAME_LABELS[con?.contype as string];
  if (!label) return undefined;
  switch (con.contype) {
    case 'CONSTR_PRIMARY':
      return { columns: [], label };
    case 'CONSTR_CHECK': {
      const cols = new Set<string>();
      walkAst(con.raw_expr, (k, v) => {
        if (k === 'ColumnRef') {
          const f = v.fields?.[v.fields.length - 1]?.String?.sval;
          if (f) cols.add(f);
        }
      });
      return { columns: cols.size === 1 ? [...cols] : [], label };
    }
    case 'CONSTR_FOREIGN':
      return { columns: columnsOfColumnDef ?? stringList(con.fk_attrs), label };
    case 'CONSTR_EXCLUSION':
      return {
        columns: (con.exclusions ?? [])
          .map((e: Ast) => e?.List?.items?.[0]?.IndexElem?.name)
          .filter((n: unknown): n is string => typeof n === 'string'),
        label,
      };
    default:
      return { columns: columnsOfColumnDef ?? stringList(con.keys), label };
  }
}

// Reserved keywords that cannot be used as bare column or table names.
const RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column ' +
    'constraint create current_catalog current_date current_role current_time current_timestamp ' +
    'current_user default deferrable desc distinct do else end except false fetch for foreign from ' +
    'grant group having in initially intersect into lateral leading limit localtime localtimestamp ' +
    'not null offset on only or order placing primary references returning select session_user ' +
    'some symmetric system_user table then to trailing true union unique user using variadic when ' +
    'where window with authorization binary collation concurrently cross current_schema freeze full ' +
    'ilike inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose'
  ).split(' '),
);
