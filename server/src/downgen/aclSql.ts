/** COMMENT ON and GRANT / REVOKE statements for objects the schema model keys by commentKey. */
import type { Catalog } from '../schema/catalog';
import { literal, qkey, qname, quoteIdent, roleSql } from './sql';
import type { DownItem } from './types';

/** The object part of COMMENT ON / GRANT … ON for a commentKey; undefined when it cannot be told. */
export function targetSql(catalog: Catalog, key: string, forGrant = false): string | undefined {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  const sub = (): [string, string] | undefined => {
    const dot = rest.lastIndexOf('.');
    return dot < 0 ? undefined : [rest.slice(0, dot), rest.slice(dot + 1)];
  };
  switch (kind) {
    case 'table':
      return `TABLE ${qkey(rest)}`;
    case 'view':
      return `${forGrant ? 'TABLE' : 'VIEW'} ${qkey(rest)}`;
    case 'matview':
      return `${forGrant ? 'TABLE' : 'MATERIALIZED VIEW'} ${qkey(rest)}`;
    case 'sequence':
      return `SEQUENCE ${qkey(rest)}`;
    case 'index':
      return `INDEX ${qkey(rest)}`;
    case 'type':
      return `TYPE ${qkey(rest)}`;
    case 'schema':
      return `SCHEMA ${quoteIdent(rest)}`;
    case 'extension':
      return `EXTENSION ${quoteIdent(rest)}`;
    case 'column': {
      const s = sub();
      return s && catalog.tables.get(s[0])?.columns.has(s[1])
        ? `COLUMN ${qkey(s[0])}.${quoteIdent(s[1])}`
        : undefined;
    }
    case 'constraint':
    case 'trigger':
    case 'policy': {
      const s = sub();
      if (!s) return undefined;
      return `${kind.toUpperCase()} ${quoteIdent(s[1])} ON ${qkey(s[0])}`;
    }
    case 'function':
    case 'procedure': {
      const o = catalog.objects.get(key);
      if (!o?.argSql) return undefined;
      return `${kind.toUpperCase()} ${qname(o.schema, o.name)}(${o.argSql.join(', ')})`;
    }
    default:
      return undefined;
  }
}

export function commentSql(catalog: Catalog, key: string, text: string | undefined): DownItem {
  const target = targetSql(catalog, key);
  if (!target)
    return { todo: `restore the comment on ${key.replace(':', ' ')}: pgmig cannot name it` };
  return { sql: `COMMENT ON ${target} IS ${text === undefined ? 'NULL' : literal(text)}` };
}

/** `update(a,b)` → `UPDATE (a, b)`. */
function privilegeSql(p: string): string {
  const m = /^([a-z ]+)(?:\((.*)\))?$/.exec(p);
  if (!m) return p;
  const name = m[1] === 'all' ? 'ALL' : m[1].toUpperCase();
  return m[2] ? `${name} (${m[2].split(',').map(quoteIdent).join(', ')})` : name;
}

/** GRANT (or REVOKE) statements for privilege entries (`role priv`) on one object. */
export function grantItems(
  catalog: Catalog,
  key: string,
  entries: Iterable<string>,
  revoke = false,
): DownItem[] {
  const byRole = new Map<string, string[]>();
  for (const e of entries) {
    const sp = e.indexOf(' ');
    const role = e.slice(0, sp);
    byRole.set(role, [...(byRole.get(role) ?? []), e.slice(sp + 1)]);
  }
  if (byRole.size === 0) return [];
  const target = targetSql(catalog, key, true);
  if (!target)
    return [
      {
        todo: `${revoke ? 'revoke' : 'restore'} privileges on ${key.replace(':', ' ')}: pgmig cannot name it`,
      },
    ];
  return [...byRole].map(([role, privs]) => ({
    sql: revoke
      ? `REVOKE ${privs.map(privilegeSql).join(', ')} ON ${target} FROM ${roleSql(role)}`
      : `GRANT ${privs.map(privilegeSql).join(', ')} ON ${target} TO ${roleSql(role)}`,
  }));
}
