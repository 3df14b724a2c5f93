/**
 * Definitions of the named objects (functions, views, triggers, sequences, extensions, schemas,
 * composite and domain types, policies), kept as the statement after CREATE. namedObjects.ts
 * tracks that they exist; this adds how to recreate them.
 */
import { listName, quoteIdent, rangeVarName, relKey } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import { objectKey, type Catalog, type ObjectInfo, type ObjectKind } from './catalog';
import { afterCreate } from './definitions';
import { argType } from './namedObjects';
import { typeSql } from './typeSql';

export function keepObject(
  catalog: Catalog,
  stmt: Statement,
  migrationId: string,
): (() => void) | undefined {
  const a = stmt.ast;
  switch (stmt.kind) {
    case 'CreateFunctionStmt': {
      const key = functionKey(a);
      const existed = catalog.objects.has(key);
      return () => {
        update(catalog, key, { definition: afterCreate(stmt), argSql: functionArgSql(a) });
        // PostgreSQL grants EXECUTE to PUBLIC on every new function
        if (!existed) catalog.grants.set(key, new Set(['PUBLIC execute']));
      };
    }
    case 'ViewStmt': {
      const key = objectKey({ kind: 'view', schema: schemaOf(a.view), name: a.view.relname });
      return () => update(catalog, key, { definition: afterCreate(stmt) });
    }
    case 'CreateTableAsStmt': {
      if (a.objtype !== 'OBJECT_MATVIEW') return undefined;
      const key = relKey(rangeVarName(a.into?.rel));
      if (a.if_not_exists && catalog.matviews.has(key)) return undefined;
      return () => {
        const m = catalog.matviews.get(key);
        if (m) catalog.matviews.set(key, { ...m, definition: afterCreate(stmt) });
      };
    }
    case 'CreateTrigStmt': {
      const table = relKey(rangeVarName(a.relation));
      const key = objectKey({ kind: 'trigger', schema: '', name: a.trigname, table });
      return () => update(catalog, key, { definition: afterCreate(stmt) });
    }
    case 'CreateSeqStmt': {
      const key = objectKey({
        kind: 'sequence',
        schema: schemaOf(a.sequence),
        name: a.sequence.relname,
      });
      if (a.if_not_exists && catalog.objects.has(key)) return undefined;
      return () => update(catalog, key, { definition: afterCreate(stmt) });
    }
    case 'AlterSeqStmt': {
      const key = objectKey({
        kind: 'sequence',
        schema: schemaOf(a.sequence),
        name: a.sequence.relname,
      });
      return () => update(catalog, key, { definition: undefined });
    }
    case 'CreateExtensionStmt': {
      const key = objectKey({ kind: 'extension', schema: '', name: a.extname });
      if (catalog.objects.has(key)) return undefined;
      return () =>
        update(catalog, key, { definition: { text: extensionDefinition(a), names: [] } });
    }
    case 'CreateSchemaStmt': {
      const name: string | undefined = a.schemaname ?? a.authrole?.rolename;
      if (!name || catalog.schemas.has(name)) return undefined;
      return () => {
        const s = catalog.schemas.get(name);
        const owner = a.authrole?.rolename;
        const elements = (a.schemaElts ?? []).length > 0;
        if (s && !elements)
          catalog.schemas.set(name, {
            ...s,
            definition: `SCHEMA ${quoteIdent(name)}${owner ? ` AUTHORIZATION ${quoteIdent(owner)}` : ''}`,
          });
      };
    }
    case 'CompositeTypeStmt':
    case 'CreateDomainStmt':
    case 'CreateEnumStmt': {
      const n =
        stmt.kind === 'CompositeTypeStmt'
          ? rangeVarName(a.typevar)
          : listName(stmt.kind === 'CreateDomainStmt' ? a.domainname : a.typeName);
      const key = relKey(n);
      if (catalog.types.has(key)) return undefined;
      return () => {
        const t = catalog.types.get(key);
        if (t && stmt.kind !== 'CreateEnumStmt')
          catalog.types.set(key, { ...t, definition: afterCreate(stmt) });
      };
    }
    case 'AlterEnumStmt': {
      const existed = catalog.types.get(relKey(listName(a.typeName)))?.values.includes(a.newVal);
      return existed ? undefined : () => placeEnumValue(catalog, a);
    }
    case 'AlterDomainStmt': {
      const key = relKey(listName(a.typeName));
      const t = catalog.types.get(key);
      if (t) catalog.types.set(key, { ...t, definition: undefined });
      return undefined;
    }
    case 'AlterFunctionStmt': {
      // SET / volatility / security changes: the kept text no longer describes the function
      return () => {
        for (const key of functionKeys(catalog, a.func, a.objtype === 'OBJECT_PROCEDURE'))
          update(catalog, key, { definition: undefined });
      };
    }
    case 'CreatePolicyStmt': {
      const t = rangeVarName(a.table);
      const key = `${relKey(t)}.${a.policy_name}`;
      if (catalog.policies.has(key)) return undefined;
      return () =>
        catalog.policies.set(key, {
          schema: t.schema ?? 'public',
          table: t.name,
          name: a.policy_name,
          definition: afterCreate(stmt),
          createdIn: migrationId,
        });
    }
    case 'AlterPolicyStmt': {
      const key = `${relKey(rangeVarName(a.table))}.${a.policy_name}`;
      const p = catalog.policies.get(key);
      if (p) catalog.policies.set(key, { ...p, definition: undefined });
      return undefined;
    }
    default:
      return undefined;
  }
}

function schemaOf(rv: Ast): string {
  return rv?.schemaname ?? 'public';
}

function update(catalog: Catalog, key: string, change: Partial<ObjectInfo>): void {
  const o = catalog.objects.get(key);
  if (o) catalog.objects.set(key, { ...o, ...change });
}

function inputParams(a: Ast): Ast[] {
  return (a.parameters ?? [])
    .map((p: Ast) => p.FunctionParameter)
    .filter((p: Ast) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE');
}

/** The objectKey of a CREATE FUNCTION / PROCEDURE. */
export function functionKey(a: Ast): string {
  const n = listName(a.funcname);
  const kind: ObjectKind = a.is_procedure ? 'procedure' : 'function';
  const args = inputParams(a).map((p: Ast) => argType(p.argType));
  return objectKey({ kind, schema: n.schema ?? 'public', name: n.name, args });
}

function functionArgSql(a: Ast): string[] | undefined {
  const out: string[] = [];
  for (const p of inputParams(a)) {
    const t = typeSql(p.argType);
    if (t === undefined) return undefined;
    out.push(t);
  }
  return out;
}

/** Keys of the functions an ObjectWithArgs names (all overloads when no arguments are given). */
export function functionKeys(catalog: Catalog, w: Ast, procedure: boolean): string[] {
  const n = listName(w?.objname);
  const schema = n.schema ?? 'public';
  const kind: ObjectKind = procedure ? 'procedure' : 'function';
  if (w && !w.args_unspecified) {
    const params: Ast[] = Array.isArray(w.objfuncargs)
      ? w.objfuncargs
          .map((p: Ast) => p.FunctionParameter)
          .filter((p: Ast) => p && p.mode !== 'FUNC_PARAM_OUT')
      : (w.objargs ?? []).map((t: Ast) => ({ argType: t.TypeName ?? t }));
    const key = objectKey({
      kind,
      schema,
      name: n.name,
      args: params.map((p) => argType(p.argType)),
    });
    return catalog.objects.has(key) ? [key] : [];
  }
  return [...catalog.objects.entries()]
    .filter(([, o]) => o.kind === kind && o.schema === schema && o.name === n.name)
    .map(([k]) => k);
}

function extensionDefinition(a: Ast): string {
  let sql = `EXTENSION ${quoteIdent(a.extname)}`;
  for (const o of a.options ?? []) {
    const d = o.DefElem;
    const v = d?.arg?.String?.sval;
    if (d?.defname === 'schema' && v) sql += ` WITH SCHEMA ${quoteIdent(v)}`;
    if (d?.defname === 'new_version' && v) sql += ` VERSION '${v.replace(/'/g, "''")}'`;
  }
  return sql;
}

/** ADD VALUE … BEFORE / AFTER: apply.ts appends; the value belongs next to its neighbour. */
function placeEnumValue(catalog: Catalog, a: Ast): void {
  const key = relKey(listName(a.typeName));
  const t = catalog.types.get(key);
  if (!t || !a.newVal || a.oldVal || !a.newValNeighbor) return;
  const values = t.values.filter((v) => v !== a.newVal);
  const at = values.indexOf(a.newValNeighbor);
  if (at < 0) return;
  values.splice(a.newValIsAfter ? at + 1 : at, 0, a.newVal);
  catalog.types.set(key, { ...t, values });
}
