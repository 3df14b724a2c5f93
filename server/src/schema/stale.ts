/**
 * Keeps the model's kept SQL honest across renames and drops: comments and grants move with a
 * renamed object and go with a dropped one; kept text that names a renamed object is forgotten
 * (PostgreSQL follows the rename by OID, the text would not).
 */
import { listName, rangeVarName, relKey, stringList } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import {
  refersTo,
  type Catalog,
  type ColumnInfo,
  type ConstraintInfo,
  type IndexInfo,
} from './catalog';
import type { Piece } from './definitions';
import { renameIdent, renameInPiece } from './rewrite';

export function forgetStale(catalog: Catalog, stmt: Statement): (() => void) | undefined {
  const a = stmt.ast;
  if (stmt.kind === 'DropStmt') {
    const cascadeIndexes =
      a.removeType === 'OBJECT_INDEX' && a.behavior === 'DROP_CASCADE'
        ? (a.objects ?? [])
            .map((o: Ast) => catalog.indexes.get(relKey(listName(o.List?.items))))
            .filter((i: IndexInfo | undefined): i is IndexInfo => !!i)
        : [];
    return () => {
      for (const i of cascadeIndexes) dropDependentForeignKeys(catalog, i);
      if (a.removeType === 'OBJECT_POLICY')
        for (const obj of a.objects ?? []) {
          const items = stringList(obj.List?.items);
          const name = items.pop();
          const table = relKey(listName(items.map((sval) => ({ String: { sval } }))));
          catalog.policies.delete(`${table}.${name}`);
        }
      sweep(catalog);
    };
  }
  const setSchema = stmt.kind === 'AlterObjectSchemaStmt';
  const r = renameOf(a, setSchema);
  if (!r) return undefined;
  const table = a.relation ? relKey(rangeVarName(a.relation)) : '';
  const renamesTable = !setSchema && a.renameType === 'OBJECT_TABLE';
  const renamesColumn = !setSchema && a.renameType === 'OBJECT_COLUMN' && catalog.tables.has(table);
  const renamesType =
    !setSchema && (a.renameType === 'OBJECT_TYPE' || a.renameType === 'OBJECT_DOMAIN');
  return () => {
    if (r.from !== r.to) {
      moveKeys(catalog.comments, r.from, r.to);
      moveKeys(catalog.grants, r.from, r.to);
      moveKeys(catalog.policies, r.from.replace(/^[a-z]*:/, ''), r.to.replace(/^[a-z]*:/, ''));
    }
    if (renamesColumn) renameColumn(catalog, table, a.subname, a.newname);
    if (renamesTable) renameTable(catalog, table, a.newname);
    if (renamesType) renameType(catalog, r.oldName, a.newname);
    forgetMentions(catalog, r.oldName, renamesColumn || renamesTable);
    sweep(catalog);
  };
}

/**
 * DROP INDEX … CASCADE on a unique index takes the foreign keys that reference exactly its
 * columns with it. A foreign key whose referenced columns cannot be read makes its table
 * uncertain instead.
 */
function dropDependentForeignKeys(catalog: Catalog, index: IndexInfo): void {
  if (!index.unique) return;
  const target = `${index.schema}.${index.table}`;
  const cols = [...index.columns].sort().join(',');
  const isReference = (c: ConstraintInfo) => c.type === 'foreign' && c.references === target;
  for (const [k, t] of catalog.tables) {
    if (!someOf(t.constraints.values(), isReference)) continue;
    const fks = [...t.constraints.values()].filter(isReference);
    const w = catalog.tableForWrite(k);
    if (!w) continue;
    for (const c of fks) {
      const m = /\bREFERENCES\s+[^(]*?\(([^)]*)\)/i.exec(c.definition?.text ?? '');
      if (!c.definition) w.uncertain = true;
      else if (m && identList(m[1]).sort().join(',') === cols) w.constraints.delete(c.name);
    }
  }
}

function identList(text: string): string[] {
  return text.split(',').map((x) => {
    const t = x.trim();
    return t.startsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t.toLowerCase();
  });
}

/** A column renamed: kept constraint, index, trigger and policy text follows, as PostgreSQL's does. */
function renameColumn(catalog: Catalog, key: string, from: string, to: string): void {
  const t = catalog.tableForWrite(key);
  if (!t) return;
  for (const c of t.constraints.values()) {
    c.definition = renameInPiece(c.definition, from, to, c.type === 'foreign' ? 'own' : 'all');
    if (c.type === 'foreign' && c.references === key)
      c.definition = renameInPiece(c.definition, from, to, 'referenced');
  }
  for (const col of t.columns.values())
    col.generatedSql = renameInPiece(col.generatedSql, from, to);
  for (const [k, other] of catalog.tables) {
    if (k === key || !refersTo(other, key)) continue;
    const w = catalog.tableForWrite(k);
    for (const c of w?.constraints.values() ?? [])
      if (c.references === key) c.definition = renameInPiece(c.definition, from, to, 'referenced');
  }
  for (const [k, i] of catalog.indexes.group(key))
    catalog.indexes.set(k, { ...i, tail: renameInPiece(i.tail, from, to) });
  for (const [k, o] of catalog.objects)
    if (o.kind === 'trigger' && o.table === key && o.definition)
      catalog.objects.set(k, { ...o, definition: renameInPiece(o.definition, from, to) });
  for (const [k, p] of catalog.policies)
    if (`${p.schema}.${p.table}` === key)
      catalog.policies.set(k, { ...p, definition: renameInPiece(p.definition, from, to) });
}

/** A type renamed: the columns of that type follow (PostgreSQL refers to types by OID). */
function renameType(catalog: Catalog, from: string, to: string): void {
  for (const [key, t] of catalog.tables) {
    if (!someOf(t.columns.values(), (c) => textMentions(c.typeSql, from))) continue;
    for (const c of catalog.tableForWrite(key)?.columns.values() ?? []) {
      if (!c.typeSql || !textMentions(c.typeSql, from)) continue;
      c.typeSql = renameIdent(c.typeSql, from, to);
      if (c.type.name === from.toLowerCase()) c.type = { ...c.type, name: to.toLowerCase() };
    }
  }
}

/** A table renamed (already under its new key): text that names it follows. */
function renameTable(catalog: Catalog, oldKey: string, newName: string): void {
  const schema = oldKey.slice(0, oldKey.indexOf('.'));
  const oldName = oldKey.slice(schema.length + 1);
  const newKey = `${schema}.${newName}`;
  for (const [k, t] of catalog.tables) {
    const touched = k === newKey || refersTo(t, oldKey);
    if (!touched) continue;
    const w = catalog.tableForWrite(k);
    for (const c of w?.constraints.values() ?? []) {
      if (c.references === oldKey) {
        c.references = newKey;
        c.definition = renameInPiece(c.definition, oldName, newName, 'referenced');
      }
      if (k === newKey && c.type !== 'foreign')
        c.definition = renameInPiece(c.definition, oldName, newName);
    }
  }
  for (const [k, o] of catalog.objects)
    if (o.kind === 'trigger' && o.table === newKey && o.definition)
      catalog.objects.set(k, { ...o, definition: renameInPiece(o.definition, oldName, newName) });
  for (const [k, p] of catalog.policies)
    if (p.schema === schema && (p.table === oldName || p.table === newName))
      catalog.policies.set(k, {
        ...p,
        table: newName,
        definition: renameInPiece(p.definition, oldName, newName),
      });
}

interface Rename {
  /** Key prefixes (`table:public.a`, `column:public.t.a`) before and after. */
  from: string;
  to: string;
  /** The name that kept text may still use. */
  oldName: string;
}

const RENAME_KIND: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'matview',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_INDEX: 'index',
  OBJECT_FOREIGN_TABLE: 'table',
};

function renameOf(a: Ast, setSchema: boolean): Rename | undefined {
  const type: string = setSchema ? a.objectType : a.renameType;
  const rel = RENAME_KIND[type];
  if (rel && a.relation) {
    const n = rangeVarName(a.relation);
    const schema = n.schema ?? 'public';
    if (setSchema)
      return { from: `:${schema}.${n.name}`, to: `:${a.newschema}.${n.name}`, oldName: n.name };
    // tables carry column, constraint, trigger and policy keys: move every kind
    return { from: `:${schema}.${n.name}`, to: `:${schema}.${a.newname}`, oldName: n.name };
  }
  if (setSchema) return undefined;
  switch (type) {
    case 'OBJECT_COLUMN':
    case 'OBJECT_TABCONSTRAINT':
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY': {
      const table = relKey(rangeVarName(a.relation));
      const kind = SUB_KIND[type];
      return {
        from: `${kind}:${table}.${a.subname}`,
        to: `${kind}:${table}.${a.newname}`,
        oldName: a.subname,
      };
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const n = listName(a.object?.List?.items ?? a.object?.TypeName?.names);
      const schema = n.schema ?? 'public';
      return {
        from: `type:${schema}.${n.name}`,
        to: `type:${schema}.${a.newname}`,
        oldName: n.name,
      };
    }
    case 'OBJECT_SCHEMA':
      return { from: `:${a.subname}.`, to: `:${a.newname}.`, oldName: a.subname };
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE': {
      const n = listName(a.object?.ObjectWithArgs?.objname);
      const schema = n.schema ?? 'public';
      const kind = type === 'OBJECT_FUNCTION' ? 'function' : 'procedure';
      return {
        from: `${kind}:${schema}.${n.name}(`,
        to: `${kind}:${schema}.${a.newname}(`,
        oldName: n.name,
      };
    }
    default:
      return undefined;
  }
}

const SUB_KIND: Record<string, string> = {
  OBJECT_COLUMN: 'column',
  OBJECT_TABCONSTRAINT: 'constraint',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_POLICY: 'policy',
};

/** Moves keys containing `from` (a whole key, or a `:schema.name` part of one) to `to`. */
function moveKeys<V>(map: Map<string, V>, from: string, to: string): void {
  const moved: [string, string, V][] = [];
  for (const [k, v] of map) {
    const at = k.indexOf(from);
    if (at < 0) continue;
    const end = at + from.length;
    // `:public.a` must not match `:public.ab`
    if (from.startsWith(':') && end < k.length && !/[.(]/.test(k[end])) continue;
    moved.push([k, k.slice(0, at) + to + k.slice(end), v]);
  }
  for (const [k, to2, v] of moved) {
    map.delete(k);
    map.set(to2, v);
  }
}

function mentions(p: Piece | undefined, name: string): boolean {
  return !!p && p.names.includes(name);
}

// one DROP or RENAME asks about every kept text in the catalog: compile its patterns once; the
// plain one (a fast literal search) rules out almost every text before the exact one runs
let patternName: string | undefined;
let pattern = /$^/;
let literal = /$^/;

function textMentions(text: string | undefined, name: string): boolean {
  // /i matches character for character: a text shorter than the name cannot hold it
  if (!text || text.length < name.length) return false;
  if (name !== patternName) {
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`(^|[^\\w$])${esc}($|[^\\w$])`, 'i');
    literal = new RegExp(esc, 'i');
    patternName = name;
  }
  return literal.test(text) && pattern.test(text);
}

/**
 * Forgets kept text that may name `name`. Function bodies are left alone: PostgreSQL keeps them
 * as text too, so what the model kept is still what the database has.
 */
function forgetMentions(catalog: Catalog, name: string, rewritten = false): void {
  // after a table or column rename, constraint, index, trigger and policy text was rewritten
  const check = (p: Piece | undefined) => !rewritten && mentions(p, name);
  const staleColumn = (c: ColumnInfo) =>
    check(c.generatedSql) || textMentions(c.defaultText, name) || textMentions(c.typeSql, name);
  const staleConstraint = (c: ConstraintInfo) => check(c.definition);
  for (const [key, t] of catalog.tables) {
    const stale =
      mentions(t.tail, name) ||
      (!rewritten && someOf(t.constraints.values(), staleConstraint)) ||
      someOf(t.columns.values(), staleColumn);
    if (!stale) continue;
    const w = catalog.tableForWrite(key);
    if (!w) continue;
    for (const c of w.constraints.values()) if (check(c.definition)) c.definition = undefined;
    for (const c of w.columns.values()) {
      if (check(c.generatedSql)) c.generatedSql = undefined;
      if (textMentions(c.defaultText, name)) c.defaultText = undefined;
      if (textMentions(c.typeSql, name)) c.typeSql = undefined;
    }
    if (mentions(w.tail, name)) w.tail = undefined;
  }
  for (const [k, i] of catalog.indexes)
    if (check(i.tail)) catalog.indexes.set(k, { ...i, tail: undefined });
  for (const [k, o] of catalog.objects) {
    // a renamed or moved function's kept text still names it the old way
    const routine = o.kind === 'function' || o.kind === 'procedure';
    const stale = routine
      ? !!o.definition && (!o.definition.names.includes(o.name) || o.name === name)
      : o.kind === 'trigger'
        ? check(o.definition)
        : mentions(o.definition, name);
    if (stale) catalog.objects.set(k, { ...o, definition: undefined });
  }
  for (const [k, m] of catalog.matviews)
    if (mentions(m.definition, name)) catalog.matviews.set(k, { ...m, definition: undefined });
  for (const [k, p] of catalog.policies)
    if (check(p.definition)) catalog.policies.set(k, { ...p, definition: undefined });
  for (const [k, t] of catalog.types)
    if (mentions(t.definition, name)) catalog.types.set(k, { ...t, definition: undefined });
}

// every table is asked on every DROP and RENAME: its maps are read, not copied into arrays
function someOf<T>(values: Iterable<T>, test: (v: T) => boolean): boolean {
  for (const v of values) if (test(v)) return true;
  return false;
}

/** Comments, grants and policies of objects that no longer exist are dropped with them. */
export function sweep(catalog: Catalog): void {
  for (const [k, p] of catalog.policies)
    if (!catalog.tables.has(`${p.schema}.${p.table}`)) catalog.policies.delete(k);
  for (const map of [catalog.comments, catalog.grants] as Map<string, unknown>[]) {
    // deleting the entry being visited is safe for a Map
    for (const k of map.keys()) if (!targetExists(catalog, k)) map.delete(k);
  }
}

export function targetExists(catalog: Catalog, key: string): boolean {
  const colon = key.indexOf(':');
  if (colon < 0) return true;
  const kind = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  const parentAndName = (): [string, string] => {
    const dot = rest.lastIndexOf('.');
    return [rest.slice(0, dot), rest.slice(dot + 1)];
  };
  switch (kind) {
    case 'table':
      return catalog.tables.has(rest);
    case 'column': {
      const [t, c] = parentAndName();
      return !!catalog.tables.get(t)?.columns.has(c);
    }
    case 'constraint': {
      const [t, c] = parentAndName();
      return !!catalog.tables.get(t)?.constraints.has(c);
    }
    case 'policy':
      return catalog.policies.has(rest);
    case 'index':
      return catalog.indexes.has(rest);
    case 'matview':
      return catalog.matviews.has(rest);
    case 'type':
      return catalog.types.has(rest);
    case 'schema':
      return catalog.schemas.has(rest) || rest === 'public';
    case 'view':
    case 'sequence':
    case 'function':
    case 'procedure':
    case 'trigger':
    case 'extension':
      return catalog.objects.has(key);
    default:
      return true;
  }
}
