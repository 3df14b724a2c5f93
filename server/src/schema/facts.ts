/**
 * A catalog as a flat set of comparable facts (`column public.t.a` → `integer`), so that two
 * catalogs can be compared whatever their source: the model before an UP and after its DOWN, or
 * the model replayed from migrations and the one read from a live database.
 */
import { typeDisplay } from '../parser/ast';
import type { Catalog, ColumnInfo, ConstraintInfo } from './catalog';

export type FactKind =
  | 'schema'
  | 'table'
  | 'column'
  | 'nullability'
  | 'default'
  | 'constraint'
  | 'validated'
  | 'index'
  | 'type'
  | 'enum values'
  | 'matview'
  | 'view'
  | 'sequence'
  | 'function'
  | 'procedure'
  | 'trigger'
  | 'extension';

export interface Fact {
  kind: FactKind;
  /** What the fact is about, as shown to users (`public.users.email`). */
  subject: string;
}

/** Facts keyed by `kind subject`; the value is what can differ (a type, NOT NULL, …). */
export type Facts = Map<string, string>;

export function factKey(f: Fact): string {
  return `${f.kind} ${f.subject}`;
}

export function parseFactKey(key: string): Fact {
  for (const kind of KINDS)
    if (key.startsWith(`${kind} `)) return { kind, subject: key.slice(kind.length + 1) };
  return { kind: 'table', subject: key };
}

// longest first, so that `enum values` is not read as `enum`
const KINDS: FactKind[] = (
  [
    'schema',
    'table',
    'column',
    'nullability',
    'default',
    'constraint',
    'validated',
    'index',
    'type',
    'enum values',
    'matview',
    'view',
    'sequence',
    'function',
    'procedure',
    'trigger',
    'extension',
  ] as FactKind[]
).sort((a, b) => b.length - a.length);

export interface FactOptions {
  /** Tables (keys) whose columns and constraints are left out: the model is unsure of them. */
  skipTables?: ReadonlySet<string>;
  /** Only these tables' facts (the others are known to be equal), when given. */
  onlyTables?: ReadonlySet<string>;
}

export function catalogFacts(c: Catalog, opts: FactOptions = {}): Facts {
  const out: Facts = new Map();
  const put = (kind: FactKind, subject: string, value: string) =>
    out.set(factKey({ kind, subject }), value);
  for (const s of c.schemas.values()) put('schema', s.name, 'exists');
  for (const [key, t] of c.tables) {
    // a placeholder for a table only ever altered: the model does not know it exists
    if (t.createdIn === '' || (opts.onlyTables && !opts.onlyTables.has(key))) continue;
    put('table', key, t.partitioned ? 'partitioned table' : 'table');
    if (t.uncertain || opts.skipTables?.has(key)) continue;
    for (const col of t.columns.values()) {
      const subject = `${key}.${col.name}`;
      put('column', subject, typeDisplay(col.type));
      put('nullability', subject, col.notNull ? 'NOT NULL' : 'nullable');
      put('default', subject, defaultKind(col));
    }
    for (const con of t.constraints.values()) {
      if (con.type === 'notnull') continue;
      put('constraint', `${key}.${con.name}`, constraintShape(con));
      put('validated', `${key}.${con.name}`, con.validated ? 'valid' : 'NOT VALID');
    }
  }
  for (const i of c.indexes.values())
    put(
      'index',
      `${i.schema}.${i.name}`,
      `${i.unique ? 'unique ' : ''}on ${i.schema}.${i.table} (${i.columns.join(', ')})`,
    );
  for (const [key, t] of c.types) {
    put('type', key, t.kind);
    if (t.kind === 'enum') put('enum values', key, t.values.join(', '));
  }
  for (const key of c.matviews.keys()) put('matview', key, 'exists');
  for (const o of c.objects.values()) {
    const name = o.schema ? `${o.schema}.${o.name}` : o.name;
    const subject =
      o.kind === 'trigger'
        ? `${o.name} on ${o.table ?? ''}`
        : o.args
          ? `${name}(${o.args.join(', ')})`
          : name;
    put(o.kind, subject, 'exists');
  }
  return out;
}

function defaultKind(col: ColumnInfo): string {
  if (col.identity) return 'an identity';
  if (col.generated) return 'a generation expression';
  return col.hasDefault ? 'set' : 'none';
}

/** Type and columns; a CHECK's columns are left out (sources disagree on what they are). */
function constraintShape(con: ConstraintInfo): string {
  const label = CONSTRAINT_LABELS[con.type];
  if (con.type === 'check' || con.type === 'exclude') return label;
  const ref = con.references ? ` → ${con.references}` : '';
  return `${label} (${con.columns.join(', ')})${ref}`;
}

const CONSTRAINT_LABELS: Record<ConstraintInfo['type'], string> = {
  check: 'CHECK',
  foreign: 'FOREIGN KEY',
  unique: 'UNIQUE',
  primary: 'PRIMARY KEY',
  exclude: 'EXCLUDE',
  notnull: 'NOT NULL',
};

export interface FactChange {
  key: string;
  fact: Fact;
  /** undefined: absent. */
  before?: string;
  after?: string;
}

/** Facts that differ between two fact sets, in a stable order. */
export function diffFacts(before: Facts, after: Facts): FactChange[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  const out: FactChange[] = [];
  for (const key of [...keys].sort()) {
    const b = before.get(key);
    const a = after.get(key);
    if (b !== a) out.push({ key, fact: parseFactKey(key), before: b, after: a });
  }
  return out;
}

/** `column public.t.a` as a phrase for messages. */
export function describeFact(f: Fact): string {
  switch (f.kind) {
    case 'nullability':
      return `the nullability of ${f.subject}`;
    case 'default':
      return `the default of ${f.subject}`;
    case 'validated':
      return `the validation of constraint ${f.subject}`;
    case 'enum values':
      return `the values of enum ${f.subject}`;
    case 'matview':
      return `materialized view ${f.subject}`;
    default:
      return `${f.kind} ${f.subject}`;
  }
}
