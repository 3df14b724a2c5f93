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
  createdIn: string;
}

export interface IndexInfo {
  name: string;
  schema: string;
  table: string;
  columns: string[];
  unique: boolean;
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
}

export interface TypeInfo {
  schema: string;
  name: string;
  kind: 'enum' | 'composite' | 'domain' | 'other';
  values: string[];
  createdIn: string;
}

export interface CatalogSnapshot {
  tables: TableInfo[];
  indexes: IndexInfo[];
  types: TypeInfo[];
}

export class Catalog {
  readonly tables = new Map<string, TableInfo>();
  readonly indexes = new Map<string, IndexInfo>();
  readonly types = new Map<string, TypeInfo>();
  /** Statements with effects the model cannot see (dynamic SQL) have run: nothing is certain. */
  opaque = false;
  /** Why the catalog became opaque, for messages. */
  opaqueReason?: string;

  static fromSnapshot(s: CatalogSnapshot): Catalog {
    const c = new Catalog();
    for (const t of s.tables) c.tables.set(`${t.schema}.${t.name}`, cloneTable(t));
    for (const i of s.indexes) c.indexes.set(`${i.schema}.${i.name}`, { ...i });
    for (const t of s.types) c.types.set(`${t.schema}.${t.name}`, { ...t, values: [...t.values] });
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
    c.opaque = this.opaque;
    c.opaqueReason = this.opaqueReason;
    return c;
  }

  table(key: string): TableInfo | undefined {
    return this.tables.get(key);
  }

  /** Tables of this catalog that are its own (not shared with the catalog it was cloned from). */
  private readonly owned = new Set<TableInfo>();
  private shared = false;

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
    for (const i of this.indexes.values()) {
      if (`${i.schema}.${i.table}` !== tableKey) continue;
      if (columns.every((c, n) => i.columns[n] === c)) out.push(i);
    }
    return out;
  }

  markOpaque(reason: string): void {
    if (!this.opaque) {
      this.opaque = true;
      this.opaqueReason = reason;
    }
  }
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
