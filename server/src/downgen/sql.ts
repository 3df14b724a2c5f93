/** Names and literals written the way PostgreSQL reads them back. */
import { quoteIdent } from '../parser/ast';

/** `name` in public (the default search path), `schema.name` elsewhere. */
export function qname(schema: string | undefined, name: string): string {
  return !schema || schema === 'public'
    ? quoteIdent(name)
    : `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** A `schema.name` key (as the schema model keys relations) written as SQL. */
export function qkey(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? quoteIdent(key) : qname(key.slice(0, dot), key.slice(dot + 1));
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A role in GRANT/REVOKE: PUBLIC and CURRENT_USER stay keywords. */
export function roleSql(grantee: string): string {
  return /^(PUBLIC|CURRENT_USER|SESSION_USER|CURRENT_ROLE)$/.test(grantee)
    ? grantee
    : quoteIdent(grantee);
}

export { quoteIdent };
