/**
 * Schemas and the objects the model knows by name only (views, sequences, functions, procedures,
 * triggers, extensions): creating, dropping, renaming and moving them. Enough to tell what a
 * migration creates and whether its DOWN removes it; their definitions are not modelled.
 */
import {
  listName,
  rangeVarName,
  relKey,
  stringList,
  typeDisplay,
  typeRef,
  walkAst,
} from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import {
  objectKey,
  onTable,
  refersTo,
  type Catalog,
  type ObjectInfo,
  type ObjectKind,
  type TypeInfo,
} from './catalog';

/** Applies a statement that creates one of these objects; false when it is not such a statement. */
export function createObject(catalog: Catalog, stmt: Statement, migrationId: string): boolean {
  const a = stmt.ast;
  switch (stmt.kind) {
    case 'CreateSchemaStmt': {
      const name: string | undefined = a.schemaname ?? a.authrole?.RoleSpec?.rolename;
      if (name && !catalog.schemas.has(name))
        catalog.schemas.set(name, { name, createdIn: migrationId });
      return true;
    }
    case 'CreateSeqStmt': {
      const n = rangeVarName(a.sequence);
      add(catalog, { kind: 'sequence', schema: n.schema ?? 'public', name: n.name }, migrationId);
      return true;
    }
    case 'ViewStmt': {
      const n = rangeVarName(a.view);
      const dependsOn = new Set<string>();
      walkAst(a.query, (k, v) => {
        if (k === 'RangeVar' && v.relname) dependsOn.add(relKey(rangeVarName(v)));
      });
      add(
        catalog,
        { kind: 'view', schema: n.schema ?? 'public', name: n.name, dependsOn: [...dependsOn] },
        migrationId,
      );
      return true;
    }
    case 'CreateFunctionStmt': {
      const n = listName(a.funcname);
      const args = (a.parameters ?? [])
        .map((p: Ast) => p.FunctionParameter)
        .filter((p: Ast) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
        .map((p: Ast) => argType(p.argType));
      const kind: ObjectKind = a.is_procedure ? 'procedure' : 'function';
      add(catalog, { kind, schema: n.schema ?? 'public', name: n.name, args }, migrationId);
      return true;
    }
    case 'CreateTrigStmt': {
      const t = rangeVarName(a.relation);
      const fn = listName(a.funcname);
      add(
        catalog,
        {
          kind: 'trigger',
          schema: t.schema ?? 'public',
          name: a.trigname,
          table: relKey(t),
          // DROP FUNCTION … CASCADE takes the trigger with it
          dependsOn: [routineRef(fn.schema ?? 'public', fn.name)],
        },
        migrationId,
      );
      return true;
    }
    case 'CreateExtensionStmt':
      add(catalog, { kind: 'extension', schema: '', name: a.extname }, migrationId);
      return true;
    default:
      return false;
  }
}

/** How a trigger names the routine it runs (in dependsOn, beside relation keys). */
function routineRef(schema: string, name: string): string {
  return `routine:${schema}.${name}`;
}

/** An existing object keeps its origin: CREATE OR REPLACE and IF NOT EXISTS create nothing. */
function add(catalog: Catalog, o: Omit<ObjectInfo, 'createdIn'>, migrationId: string): void {
  const key = objectKey(o);
  if (!catalog.objects.has(key)) catalog.objects.set(key, { ...o, createdIn: migrationId });
}

/** A function argument's type as it identifies the function: modifiers do not count. */
export function argType(typeName: Ast): string {
  if (typeName?.pct_type) return `${stringList(typeName.names).join('.')}%type`;
  return typeDisplay({ ...typeRef(typeName), mods: [] });
}

const DROP_KINDS: Record<string, ObjectKind[] | undefined> = {
  OBJECT_VIEW: ['view'],
  OBJECT_SEQUENCE: ['sequence'],
  OBJECT_FUNCTION: ['function'],
  OBJECT_PROCEDURE: ['procedure'],
  OBJECT_ROUTINE: ['function', 'procedure'],
  OBJECT_TRIGGER: ['trigger'],
  OBJECT_EXTENSION: ['extension'],
};

/**
 * The part of a DROP that concerns these objects and what goes with a dropped table or schema:
 * its triggers, the views reading it and the foreign keys pointing at it (DROP … CASCADE; without
 * CASCADE PostgreSQL refuses, and the model need not be right about a statement that fails).
 */
export function dropObjects(catalog: Catalog, a: Ast): void {
  const kinds = DROP_KINDS[a.removeType as string];
  for (const obj of a.objects ?? []) {
    if (a.removeType === 'OBJECT_TABLE') {
      const name = listName(obj.List?.items);
      if (name.name) dropTableDependents(catalog, relKey(name));
    } else if (a.removeType === 'OBJECT_SCHEMA') {
      const name: string | undefined = obj.String?.sval;
      if (name) dropSchema(catalog, name);
    } else if (kinds) {
      for (const key of matching(catalog, kinds, obj)) {
        const o = catalog.objects.get(key);
        catalog.objects.delete(key);
        if (o && (o.kind === 'function' || o.kind === 'procedure')) {
          const ref = routineRef(o.schema, o.name);
          for (const [k, d] of catalog.objects)
            if (d.dependsOn?.includes(ref)) catalog.objects.delete(k);
        }
      }
    }
  }
}

/** Keys of the objects a DROP / ALTER names: `f` without arguments names every `f`. */
function matching(catalog: Catalog, kinds: ObjectKind[], obj: Ast): string[] {
  if (kinds[0] === 'extension') {
    const key = objectKey({ kind: 'extension', schema: '', name: obj.String?.sval ?? '' });
    return catalog.objects.has(key) ? [key] : [];
  }
  if (kinds[0] === 'trigger') {
    const items = stringList(obj.List?.items);
    const name = items.pop() ?? '';
    const table = relKey(listName(items.map((sval) => ({ String: { sval } }))));
    const key = objectKey({ kind: 'trigger', schema: '', name, table });
    return catalog.objects.has(key) ? [key] : [];
  }
  const withArgs = obj.ObjectWithArgs;
  const n = listName(withArgs ? withArgs.objname : obj.List?.items);
  const schema = n.schema ?? 'public';
  const args = withArgs && !withArgs.args_unspecified ? callArgs(withArgs) : undefined;
  const out: string[] = [];
  for (const [key, o] of catalog.objects) {
    if (!kinds.includes(o.kind) || o.schema !== schema || o.name !== n.name) continue;
    if (args && (o.args ?? []).join(',') !== args.join(',')) continue;
    out.push(key);
  }
  return out;
}

/** Argument types of an ObjectWithArgs; OUT arguments (allowed since PostgreSQL 14) do not count. */
function callArgs(w: Ast): string[] {
  if (Array.isArray(w.objfuncargs))
    return w.objfuncargs
      .map((p: Ast) => p.FunctionParameter)
      .filter((p: Ast) => p && p.mode !== 'FUNC_PARAM_OUT')
      .map((p: Ast) => argType(p.argType));
  return (w.objargs ?? []).map((t: Ast) => argType(t.TypeName ?? t));
}

function dropTableDependents(catalog: Catalog, key: string): void {
  for (const [k, o] of catalog.objects)
    if (o.table === key || o.dependsOn?.includes(key)) catalog.objects.delete(k);
  for (const [k, t] of catalog.tables) {
    if (k === key || !refersTo(t, key)) continue;
    const w = catalog.tableForWrite(k);
    const refs = [...(w ?? t).constraints.values()].filter((c) => c.references === key);
    for (const c of refs) w?.constraints.delete(c.name);
  }
}

function dropSchema(catalog: Catalog, schema: string): void {
  catalog.schemas.delete(schema);
  for (const [k, t] of catalog.tables)
    if (t.schema === schema) {
      catalog.tables.delete(k);
      dropTableDependents(catalog, k);
    }
  for (const [k, i] of catalog.indexes) if (i.schema === schema) catalog.indexes.delete(k);
  for (const [k, t] of catalog.types) if (t.schema === schema) catalog.types.delete(k);
  for (const [k, m] of catalog.matviews) if (m.schema === schema) catalog.matviews.delete(k);
  for (const [k, o] of catalog.objects) if (o.schema === schema) catalog.objects.delete(k);
}

const RENAME_KINDS: Record<string, ObjectKind[] | undefined> = {
  OBJECT_VIEW: ['view'],
  OBJECT_SEQUENCE: ['sequence'],
  OBJECT_FUNCTION: ['function'],
  OBJECT_PROCEDURE: ['procedure'],
  OBJECT_ROUTINE: ['function', 'procedure'],
};

/** The part of ALTER … RENAME that concerns schemas, types and these objects. */
export function renameObject(catalog: Catalog, a: Ast): void {
  switch (a.renameType) {
    case 'OBJECT_SCHEMA': {
      const s = catalog.schemas.get(a.subname);
      if (!s) return;
      catalog.schemas.delete(a.subname);
      catalog.schemas.set(a.newname, { ...s, name: a.newname });
      return;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      return rekeyType(catalog, a, (t) => (t.name = a.newname));
    case 'OBJECT_TABLE': {
      const from = relKey(rangeVarName(a.relation));
      const to = relKey({ schema: a.relation?.schemaname, name: a.newname });
      retarget(catalog, from, to);
      return;
    }
    case 'OBJECT_TRIGGER': {
      const table = relKey(rangeVarName(a.relation));
      const key = objectKey({ kind: 'trigger', schema: '', name: a.subname, table });
      const o = catalog.objects.get(key);
      if (o) move(catalog, key, { ...o, name: a.newname });
      return;
    }
    default: {
      const kinds = RENAME_KINDS[a.renameType as string];
      if (!kinds) return;
      moveMatching(catalog, kinds, a, (o) => ({ ...o, name: a.newname }));
    }
  }
}

/** ALTER … SET SCHEMA of a table, view, sequence, type or routine. */
export function setSchema(catalog: Catalog, a: Ast): void {
  const schema: string = a.newschema;
  switch (a.objectType) {
    case 'OBJECT_TABLE': {
      const from = rangeVarName(a.relation);
      const key = relKey(from);
      const t = catalog.tableForWrite(key);
      if (!t) return;
      catalog.tables.delete(key);
      t.schema = schema;
      const to = relKey(t);
      catalog.tables.set(to, t);
      for (const [, i] of catalog.indexes.group(key))
        if (onTable(i, key)) {
          catalog.indexes.delete(`${i.schema}.${i.name}`);
          catalog.indexes.set(`${schema}.${i.name}`, { ...i, schema });
        }
      retarget(catalog, key, to);
      return;
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN':
      return rekeyType(catalog, a, (t) => (t.schema = schema));
    default: {
      const kinds = RENAME_KINDS[a.objectType as string];
      if (!kinds) return;
      moveMatching(catalog, kinds, a, (o) => ({ ...o, schema }));
    }
  }
}

/** A renamed or moved type or domain, under its new key. */
function rekeyType(catalog: Catalog, a: Ast, change: (t: TypeInfo) => void): void {
  const key = relKey(listName(a.object?.List?.items ?? a.object?.TypeName?.names));
  const t = catalog.types.get(key);
  if (!t) return;
  catalog.types.delete(key);
  change(t);
  catalog.types.set(relKey(t), t);
}

/** The objects an ALTER … RENAME / SET SCHEMA names, changed and under their new keys. */
function moveMatching(
  catalog: Catalog,
  kinds: ObjectKind[],
  a: Ast,
  change: (o: ObjectInfo) => ObjectInfo,
): void {
  const obj = a.relation ? { List: { items: relationItems(a.relation) } } : a.object;
  for (const key of matching(catalog, kinds, obj)) {
    const o = catalog.objects.get(key);
    if (o) move(catalog, key, change(o));
  }
}

function relationItems(rv: Ast): Ast[] {
  const n = rangeVarName(rv);
  return [n.schema, n.name].filter(Boolean).map((sval) => ({ String: { sval } }));
}

function move(catalog: Catalog, key: string, o: ObjectInfo): void {
  catalog.objects.delete(key);
  catalog.objects.set(objectKey(o), o);
}

/** A table now known as `to`: its triggers and the views reading it follow. */
function retarget(catalog: Catalog, from: string, to: string): void {
  for (const [key, o] of [...catalog.objects]) {
    if (o.table === from) move(catalog, key, { ...o, table: to, schema: to.split('.')[0] });
    else if (o.dependsOn?.includes(from))
      catalog.objects.set(key, {
        ...o,
        dependsOn: o.dependsOn.map((d) => (d === from ? to : d)),
      });
  }
}
