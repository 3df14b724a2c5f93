/**
 * An in-memory catalog built by replaying migrations: tables, columns, constraints, indexes and
 * types. What a statement does that cannot be modelled marks the objects involved (or the whole
 * catalog) uncertain; queries then answer `undefined` rather than something wrong, and rules take
 * the cautious verdict.
 *
 * The catalog is the second of two possible sources: a live database can seed it through
 * `Catalog.fromSnapshot` with the same shapes.
 */
import type { TypeRef } from '../parser/ast';
import type { Piece } from './definitions';
import type { PolicyInfo } from './policies';
import { GroupedMap, TrackedMap } from './tracked';

export type ConstraintType = 'check' | 'foreign' | 'unique' | 'primary' | 'exclude' | 'notnull';

export interface ColumnInfo {
  name: string;
  type: TypeRef;
  notNull: boolean;
  hasDefault: boolean;
  /** Default expression as written, when known. */
  defaultText?: string;
  identity: boolean;
  generated: boolean;
  /** SQL naming the type (`character varying(255)`), when the model can spell it exactly. */
  typeSql?: string;
  /** `serial`, `bigserial`…: created with an owned sequence as its default. */
  serial?: string;
  /** COLLATE clause operand as written. */
  collation?: string;
  /** `GENERATED … AS IDENTITY …` as written. */
  identityText?: string;
  /** `GENERATED ALWAYS AS (…) STORED` as written. */
  generatedSql?: Piece;
}

export interface ConstraintInfo {
  name: string;
  type: ConstraintType;
  validated: boolean;
  columns: string[];
  /** For CHECK (col IS NOT NULL): the column it proves not null. */
  notNullColumn?: string;
  /** For FOREIGN KEY: the referenced table key. */
  references?: string;
  /** Table-level definition without name and NOT VALID (`FOREIGN KEY (a) REFERENCES b (id)`). */
  definition?: Piece;
  createdIn: string;
}

export interface IndexInfo {
  name: string;
  schema: string;
  table: string;
  columns: string[];
  unique: boolean;
  /** Built with a WHERE clause: it covers only some rows. */
  partial?: boolean;
  /** Columns its expressions and WHERE clause read: dropping one drops the index. */
  expressionColumns?: string[];
  /** What follows the table in CREATE INDEX (`USING gin (lower(a)) WHERE …`). */
  tail?: Piece;
  createdIn: string;
}

export interface TableInfo {
  schema: string;
  name: string;
  columns: Map<string, ColumnInfo>;
  constraints: Map<string, ConstraintInfo>;
  /** Id of the migration that created it; `database` when seeded from a live database. */
  createdIn: string;
  /** Something changed it that the model could not follow: column facts may be stale. */
  uncertain: boolean;
  partitioned: boolean;
  /** For a partitioned table: strategy and key columns (undefined for an expression key). */
  partitionKey?: { strategy: 'range' | 'list' | 'hash'; columns: (string | undefined)[] };
  /** For a partition: the key of its parent, and whether it is the parent's DEFAULT partition. */
  partitionOf?: string;
  defaultPartition?: boolean;
  /** UNLOGGED, when created so. */
  unlogged?: boolean;
  /** What follows the column list in CREATE TABLE (`PARTITION BY …`, `WITH (…)`). */
  tail?: Piece;
  /** Typed, a partition, or built by a query: not recreatable from its columns. */
  notRecreatable?: boolean;
  rowSecurity?: boolean;
  forceRowSecurity?: boolean;
}

export interface MatviewInfo {
  schema: string;
  name: string;
  createdIn: string;
  /** `MATERIALIZED VIEW v AS …` after CREATE, for a DOWN that recreates it. */
  definition?: Piece;
  /** False after WITH NO DATA: it cannot be refreshed CONCURRENTLY until refreshed once. */
  populated: boolean;
}

export interface TypeInfo {
  schema: string;
  name: string;
  kind: 'enum' | 'composite' | 'domain' | 'other';
  values: string[];
  /** Composite and domain types: `TYPE t AS (…)` / `DOMAIN d AS …` after CREATE. */
  definition?: Piece;
  createdIn: string;
}

export interface SchemaInfo {
  name: string;
  createdIn: string;
  /** `SCHEMA s …` after CREATE, without IF NOT EXISTS (for a DOWN that recreates it). */
  definition?: string;
}

/** Objects the model knows by name only: enough to tell whether a DOWN removes what an UP made. */
export type ObjectKind = 'view' | 'sequence' | 'function' | 'procedure' | 'trigger' | 'extension';

export interface ObjectInfo {
  kind: ObjectKind;
  /** '' for extensions (they are not schema objects). */
  schema: string;
  name: string;
  /** Functions and procedures: the argument types that identify them (IN, INOUT, VARIADIC). */
  args?: string[];
  /** Triggers: the key of their table. */
  table?: string;
  /** Views: keys of the relations they read, which DROP … CASCADE takes with them. */
  dependsOn?: string[];
  createdIn: string;
  /**
   * The creating statement after CREATE [OR REPLACE] (`FUNCTION f(a int) RETURNS …`), kept
   * while it still describes the object, for a DOWN that recreates or restores it.
   */
  definition?: Piece;
  /** Functions and procedures: input argument types as SQL (`integer`, `text[]`). */
  argSql?: string[];
  /** Sequences: `schema.table.column` of the serial column that owns it. */
  serialOf?: string;
}

/** The map key of an object: kind and qualified name, with argument types or table. */
export function objectKey(
  o: Pick<ObjectInfo, 'kind' | 'schema' | 'name' | 'args' | 'table'>,
): string {
  if (o.kind === 'trigger') return `trigger:${o.table ?? ''}.${o.name}`;
  const name = o.schema ? `${o.schema}.${o.name}` : o.name;
  return `${o.kind}:${name}${o.args ? `(${o.args.join(',')})` : ''}`;
}

/**
 * Whether `key` (`schema.table`) names the table of `i`: the test every scan over indexes makes,
 * without building the key of each index.
 */
export function onTable(i: { schema: string; table: string }, key: string): boolean {
  const n = i.schema.length;
  return (
    key.length === n + 1 + i.table.length &&
    key.charCodeAt(n) === 46 &&
    key.startsWith(i.schema) &&
    key.endsWith(i.table)
  );
}

/** Whether a constraint of `t` references the table `key` (a foreign key to it). */
export function refersTo(t: TableInfo, key: string): boolean {
  for (const c of t.constraints.values()) if (c.references === key) return true;
  return false;
}

export interface CatalogSnapshot {
  tables: TableInfo[];
  indexes: IndexInfo[];
  types: TypeInfo[];
  matviews?: MatviewInfo[];
  schemas?: SchemaInfo[];
  objects?: ObjectInfo[];
}

export class Catalog {
  readonly tables = new TrackedMap<TableInfo>('tables');
  /** By `schema.name`; `indexes.group(tableKey)` lists a table's. */
  readonly indexes = new GroupedMap<IndexInfo>('indexes', (i) => `${i.schema}.${i.table}`);
  readonly types = new TrackedMap<TypeInfo>('types');
  readonly matviews = new TrackedMap<MatviewInfo>('matviews');
  /** Schemas created by the migrations (or read from a database); `public` is assumed. */
  readonly schemas = new TrackedMap<SchemaInfo>('schemas');
  /** Views, sequences, functions, procedures, triggers and extensions, by objectKey. */
  readonly objects = new TrackedMap<ObjectInfo>('objects');
  /** Row-level security policies, keyed `schema.table.name`. */
  readonly policies = new TrackedMap<PolicyInfo>('policies');
  /** Comments by commentKey (`table:public.t`, `column:public.t.c`, …). */
  readonly comments = new TrackedMap<string>('comments');
  /** Privileges granted, by commentKey of the object: `grantee privilege` entries. */
  readonly grants = new TrackedMap<ReadonlySet<string>>('grants');
  /** Whether the catalog is opaque, and why: kept in a map so that reading it is tracked. */
  private readonly state = new TrackedMap<string>('state');

  /** Statements with effects the model cannot see (dynamic SQL) have run: nothing is certain. */
  get opaque(): boolean {
    return this.state.get('opaque') !== undefined;
  }

  /** Why the catalog became opaque, for messages. */
  get opaqueReason(): string | undefined {
    return this.state.get('opaque');
  }

  /** Every tracked map of the catalog, by label. */
  trackedMaps(): TrackedMap<unknown>[] {
    return [
      this.tables,
      this.indexes,
      this.types,
      this.matviews,
      this.schemas,
      this.objects,
      this.policies,
      this.comments,
      this.grants,
      this.state,
    ] as TrackedMap<unknown>[];
  }

  static fromSnapshot(s: CatalogSnapshot): Catalog {
    const c = new Catalog();
    for (const t of s.tables) c.tables.set(`${t.schema}.${t.name}`, cloneTable(t));
    for (const i of s.indexes) c.indexes.set(`${i.schema}.${i.name}`, { ...i });
    for (const t of s.types) c.types.set(`${t.schema}.${t.name}`, { ...t, values: [...t.values] });
    for (const m of s.matviews ?? []) c.matviews.set(`${m.schema}.${m.name}`, { ...m });
    for (const n of s.schemas ?? []) c.schemas.set(n.name, { ...n });
    for (const o of s.objects ?? []) c.objects.set(objectKey(o), cloneObject(o));
    return c;
  }

  /**
   * A copy that shares table objects until one is written through `tableForWrite` (copy on
   * write): DOWN sections and snapshots clone often, and most tables never change in them.
   */
  clone(): Catalog {
    const c = new Catalog();
    for (const [k, t] of this.tables) c.tables.set(k, t);
    // both sides now share every table: whichever writes first copies
    c.shared = true;
    this.shared = true;
    this.owned.clear();
    for (const [k, i] of this.indexes) c.indexes.set(k, { ...i, columns: [...i.columns] });
    for (const [k, t] of this.types) c.types.set(k, { ...t, values: [...t.values] });
    for (const [k, m] of this.matviews) c.matviews.set(k, { ...m });
    for (const [k, n] of this.schemas) c.schemas.set(k, { ...n });
    for (const [k, o] of this.objects) c.objects.set(k, cloneObject(o));
    // policies, comments and grants are replaced, never changed in place: sharing them is safe
    copyInto(this.policies, c.policies);
    copyInto(this.comments, c.comments);
    copyInto(this.grants, c.grants);
    copyInto(this.state, c.state);
    return c;
  }

  table(key: string): TableInfo | undefined {
    return this.tables.get(key);
  }

  /** Tables of this catalog that are its own (not shared with the catalog it was cloned from). */
  private readonly owned = new Set<TableInfo>();
  private shared = false;

  /** A table new to this catalog: it is its own, so writes to it never copy it. */
  addTable(key: string, t: TableInfo): void {
    this.tables.set(key, t);
    if (this.shared) this.owned.add(t);
  }

  /** A table the caller may change; after clone() the first write copies it. */
  tableForWrite(key: string): TableInfo | undefined {
    const t = this.tables.get(key);
    if (!t || !this.shared || this.owned.has(t)) return t;
    const copy = cloneTable(t);
    this.owned.add(copy);
    this.tables.set(key, copy);
    return copy;
  }

  /**
   * A column as far as the model knows it; undefined when the table or column is unknown or the
   * table's facts are uncertain.
   */
  column(tableKey: string, column: string): ColumnInfo | undefined {
    if (this.opaque) return undefined;
    const t = this.tables.get(tableKey);
    if (!t || t.uncertain) return undefined;
    return t.columns.get(column);
  }

  /** A validated `CHECK (col IS NOT NULL)` on the table, if the model knows one. */
  validatedNotNullCheck(tableKey: string, column: string): ConstraintInfo | undefined {
    const t = this.tables.get(tableKey);
    if (!t) return undefined;
    for (const c of t.constraints.values())
      if (c.type === 'check' && c.validated && c.notNullColumn === column) return c;
    return undefined;
  }

  constraint(tableKey: string, name: string): ConstraintInfo | undefined {
    return this.tables.get(tableKey)?.constraints.get(name);
  }

  /** Indexes of a table whose leading columns are `columns` (in order). */
  indexesCovering(tableKey: string, columns: string[]): IndexInfo[] {
    const out: IndexInfo[] = [];
    for (const [, i] of this.indexes.group(tableKey))
      if (columns.every((c, n) => i.columns[n] === c)) out.push(i);
    return out;
  }

  markOpaque(reason: string): void {
    if (!this.opaque) this.state.set('opaque', reason);
  }

  /**
   * From here on, the first write to a table in each statement copies it, so that a table object
   * never changes once a statement is over (the incremental lint keeps them per statement).
   */
  beginStatement(): void {
    this.shared = true;
    this.owned.clear();
  }
}

function copyInto<K, V>(from: Map<K, V>, to: Map<K, V>): void {
  for (const [k, v] of from) to.set(k, v);
}

function cloneTable(t: TableInfo): TableInfo {
  return {
    ...t,
    columns: new Map([...t.columns].map(([k, c]) => [k, { ...c, type: { ...c.type } }])),
    constraints: new Map(
      [...t.constraints].map(([k, c]) => [k, { ...c, columns: [...c.columns] }]),
    ),
  };
}

function cloneObject(o: ObjectInfo): ObjectInfo {
  return { ...o, args: o.args && [...o.args], dependsOn: o.dependsOn && [...o.dependsOn] };
}
