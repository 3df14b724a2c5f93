/**
 * Comments and privileges in the schema model, filed by the object they are on (commentKey), so
 * a DOWN can restore the comment an UP replaced and tell a grant the UP added from one that was
 * already there.
 */
import { listName, rangeVarName, relKey, stringList } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import { objectKey, type Catalog } from './catalog';
import { argType } from './namedObjects';
import { functionKeys } from './keepObjects';

const RELATION_KINDS: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_FOREIGN_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'matview',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_INDEX: 'index',
};

function qualified(items: string[]): string {
  const n = listName(items.map((sval) => ({ String: { sval } })));
  return relKey(n);
}

/**
 * The key comments and grants on an object are filed under; undefined for kinds the model does
 * not follow.
 */
export function targetKey(objtype: string, object: Ast): string | undefined {
  const rel = RELATION_KINDS[objtype];
  if (rel) {
    if (object?.RangeVar) return `${rel}:${relKey(rangeVarName(object.RangeVar))}`;
    return `${rel}:${qualified(stringList(object?.List?.items))}`;
  }
  switch (objtype) {
    case 'OBJECT_COLUMN':
    case 'OBJECT_TABCONSTRAINT':
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY': {
      const items = stringList(object?.List?.items);
      const last = items.pop();
      if (!last || items.length === 0) return undefined;
      const kind =
        objtype === 'OBJECT_COLUMN'
          ? 'column'
          : objtype === 'OBJECT_TABCONSTRAINT'
            ? 'constraint'
            : objtype === 'OBJECT_TRIGGER'
              ? 'trigger'
              : 'policy';
      return `${kind}:${qualified(items)}.${last}`;
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE':
    case 'OBJECT_ROUTINE': {
      const w = object?.ObjectWithArgs;
      if (!w || w.args_unspecified) return undefined;
      const n = listName(w.objname);
      const params: Ast[] = Array.isArray(w.objfuncargs)
        ? w.objfuncargs
            .map((p: Ast) => p.FunctionParameter)
            .filter((p: Ast) => p && p.mode !== 'FUNC_PARAM_OUT')
        : (w.objargs ?? []).map((t: Ast) => ({ argType: t.TypeName ?? t }));
      return objectKey({
        kind: objtype === 'OBJECT_PROCEDURE' ? 'procedure' : 'function',
        schema: n.schema ?? 'public',
        name: n.name,
        args: params.map((p) => argType(p.argType)),
      });
    }
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const names = object?.TypeName?.names ?? object?.List?.items;
      return `type:${relKey(listName(names))}`;
    }
    case 'OBJECT_SCHEMA':
      return object?.String?.sval ? `schema:${object.String.sval}` : undefined;
    case 'OBJECT_EXTENSION':
      return object?.String?.sval ? `extension:${object.String.sval}` : undefined;
    default:
      return undefined;
  }
}

/**
 * targetKey, and for a routine named without its argument list the one routine of that name the
 * model knows (PostgreSQL accepts the bare name only when it is unique).
 */
export function resolveTarget(catalog: Catalog, objtype: string, object: Ast): string | undefined {
  const key = targetKey(objtype, object);
  if (key || !object?.ObjectWithArgs?.args_unspecified) return key;
  const keys = functionKeys(catalog, object.ObjectWithArgs, objtype === 'OBJECT_PROCEDURE');
  return keys.length === 1 ? keys[0] : undefined;
}

/** `PUBLIC`, a role name, or the SQL keyword of CURRENT_USER and friends. */
export function granteeName(r: Ast): string {
  const spec = r?.RoleSpec ?? r;
  switch (spec?.roletype) {
    case 'ROLESPEC_PUBLIC':
      return 'PUBLIC';
    case 'ROLESPEC_CURRENT_USER':
      return 'CURRENT_USER';
    case 'ROLESPEC_SESSION_USER':
      return 'SESSION_USER';
    case 'ROLESPEC_CURRENT_ROLE':
      return 'CURRENT_ROLE';
    default:
      return spec?.rolename ?? '';
  }
}

/** Privilege entries of a GRANT/REVOKE for one grantee: `app select`, `app update(a)`, `app all`. */
export function grantEntries(a: Ast, grantee: string): string[] {
  if (!a.privileges) return [`${grantee} all`];
  return a.privileges.map((p: Ast) => {
    const ap = p.AccessPriv;
    const cols = stringList(ap?.cols);
    const name = (ap?.priv_name ?? 'all') as string;
    return `${grantee} ${name}${cols.length ? `(${cols.join(',')})` : ''}`;
  });
}

/** Keys of the objects a GRANT/REVOKE names (ALL … IN SCHEMA: those the model knows). */
export function grantTargets(catalog: Catalog, a: Ast): string[] | undefined {
  if (a.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    const schemas = new Set(stringList(a.objects));
    const out: string[] = [];
    if (a.objtype === 'OBJECT_TABLE') {
      for (const t of catalog.tables.values())
        if (schemas.has(t.schema)) out.push(`table:${t.schema}.${t.name}`);
      for (const o of catalog.objects.values())
        if (o.kind === 'view' && schemas.has(o.schema)) out.push(`view:${o.schema}.${o.name}`);
    } else {
      const kind = a.objtype === 'OBJECT_SEQUENCE' ? 'sequence' : 'function';
      for (const [k, o] of catalog.objects)
        if (o.kind === kind && schemas.has(o.schema)) out.push(k);
    }
    return out;
  }
  if (a.targtype !== 'ACL_TARGET_OBJECT') return undefined;
  const out: string[] = [];
  for (const obj of a.objects ?? []) {
    let key = resolveTarget(catalog, a.objtype, obj);
    // GRANT … ON TABLE names views and sequences too
    if (key?.startsWith('table:') && !catalog.tables.has(key.slice(6))) {
      const rel = key.slice(6);
      if (catalog.objects.has(`view:${rel}`)) key = `view:${rel}`;
      else if (catalog.objects.has(`sequence:${rel}`)) key = `sequence:${rel}`;
    }
    if (!key) return undefined;
    out.push(key);
  }
  return out;
}

export function keepAcl(catalog: Catalog, stmt: Statement): (() => void) | undefined {
  const a = stmt.ast;
  switch (stmt.kind) {
    case 'CommentStmt': {
      const key = resolveTarget(catalog, a.objtype, a.object);
      if (!key) return undefined;
      return () => {
        if (typeof a.comment === 'string' && a.comment !== '') catalog.comments.set(key, a.comment);
        else catalog.comments.delete(key);
      };
    }
    case 'GrantStmt':
      return () => applyGrant(catalog, a);
    case 'AlterDefaultPrivilegesStmt':
      // objects created from now on get privileges the model does not work out
      return () => catalog.grants.set(DEFAULT_PRIVILEGES, new Set(['set']));
    default:
      return undefined;
  }
}

/** Marker: ALTER DEFAULT PRIVILEGES ran, so grants on later objects are not all known. */
export const DEFAULT_PRIVILEGES = 'default-privileges';

function applyGrant(catalog: Catalog, a: Ast): void {
  const targets = grantTargets(catalog, a);
  if (!targets) return;
  const grantees = (a.grantees ?? []).map(granteeName);
  for (const key of targets) {
    const entries = new Set(catalog.grants.get(key) ?? []);
    for (const g of grantees) {
      for (const e of grantEntries(a, g)) {
        if (a.is_grant) entries.add(e);
        else if (e === `${g} all`) {
          for (const x of [...entries]) if (x.startsWith(`${g} `)) entries.delete(x);
        } else if (!a.grant_option) entries.delete(e);
      }
    }
    catalog.grants.set(key, entries);
  }
}
