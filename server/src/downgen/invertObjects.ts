/**
 * Undoing the creation, replacement and dropping of named objects: routines, views, triggers,
 * sequences, extensions, schemas, types, policies. A replaced object gets its earlier definition
 * back; a dropped one is recreated from the schema model.
 */
import { listName, quoteIdent, rangeVarName, relKey } from '../parser/ast';
import { objectKey } from '../schema/catalog';
import { functionKey } from '../schema/keepObjects';
import { excerpt, ifItDidNotExist, suggest, type InvertContext } from './context';
import { commentSql, grantItems } from './aclSql';
import { recreateVanished } from './recreate';
import { literal, qname } from './sql';
import type { DownItem } from './types';

export function invertCreateFunction(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const key = functionKey(a);
  const kind = a.is_procedure ? 'PROCEDURE' : 'FUNCTION';
  const prev = ctx.before.objects.get(key);
  if (prev) {
    if (prev.definition) return [{ sql: `CREATE OR REPLACE ${prev.definition.text}` }];
    return [
      {
        todo: `restore the earlier definition of ${kind.toLowerCase()} ${key.slice(key.indexOf(':') + 1)}: the schema model does not know it`,
      },
    ];
  }
  const now = ctx.after().objects.get(key);
  const n = listName(a.funcname);
  if (!now?.argSql)
    return [
      { todo: `drop ${kind.toLowerCase()} ${n.name}: pgmig cannot spell its argument types` },
    ];
  // qualified even in public: an unqualified name could resolve to a built-in of pg_catalog
  const name = `${quoteIdent(n.schema ?? 'public')}.${quoteIdent(n.name)}`;
  return [{ sql: `DROP ${kind} ${name}(${now.argSql.join(', ')})` }];
}

export function invertView(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const rel = rangeVarName(a.view);
  const schema = rel.schema ?? 'public';
  const key = objectKey({ kind: 'view', schema, name: rel.name });
  const name = qname(rel.schema, rel.name);
  const prev = ctx.before.objects.get(key);
  if (!prev) return [{ sql: `DROP VIEW ${name}` }];
  if (!prev.definition)
    return [
      {
        todo: `restore the earlier definition of view ${schema}.${rel.name}: the schema model does not know it`,
      },
    ];
  // CREATE OR REPLACE cannot take columns away: drop and recreate, with comments and grants
  const out: DownItem[] = [
    { sql: `DROP VIEW ${name}`, note: 'views that depend on it must be dropped first' },
    { sql: `CREATE ${prev.definition.text}` },
  ];
  const c = ctx.before.comments.get(key);
  if (c !== undefined) out.push(commentSql(ctx.before, key, c));
  out.push(...grantItems(ctx.before, key, ctx.before.grants.get(key) ?? []));
  return out;
}

export function invertTrigger(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const rel = rangeVarName(a.relation);
  const key = objectKey({ kind: 'trigger', schema: '', name: a.trigname, table: relKey(rel) });
  const prev = ctx.before.objects.get(key);
  if (!prev)
    return [{ sql: `DROP TRIGGER ${quoteIdent(a.trigname)} ON ${qname(rel.schema, rel.name)}` }];
  if (!prev.definition)
    return [
      {
        todo: `restore the earlier trigger ${a.trigname} on ${relKey(rel)}: the schema model does not know it`,
      },
    ];
  return [{ sql: `CREATE OR REPLACE ${prev.definition.text}` }];
}

export function invertCreateSequence(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const rel = rangeVarName(a.sequence);
  const key = objectKey({ kind: 'sequence', schema: rel.schema ?? 'public', name: rel.name });
  if (a.if_not_exists && ctx.before.objects.has(key)) return [];
  const drop = { sql: `DROP SEQUENCE ${qname(rel.schema, rel.name)}` };
  if (a.if_not_exists && ctx.before.opaque)
    return [ifItDidNotExist(ctx, `sequence ${key.slice(9)}`, drop)];
  return [drop];
}

export function invertCreateExtension(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  if (ctx.before.objects.has(objectKey({ kind: 'extension', schema: '', name: a.extname })))
    return [];
  const drop = { sql: `DROP EXTENSION ${quoteIdent(a.extname)}` };
  if (a.if_not_exists && ctx.before.opaque)
    return [ifItDidNotExist(ctx, `extension ${a.extname}`, drop)];
  return [drop];
}

export function invertCreateSchema(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const name: string | undefined = a.schemaname ?? a.authrole?.rolename;
  if (!name || ctx.before.schemas.has(name) || (a.if_not_exists && name === 'public')) return [];
  const items: DownItem[] = [];
  if ((a.schemaElts ?? []).length > 0)
    items.push({
      todo: `the objects CREATE SCHEMA ${name} created inside it must be dropped first`,
    });
  const drop = { sql: `DROP SCHEMA ${quoteIdent(name)}` };
  items.push(
    a.if_not_exists && ctx.before.opaque ? ifItDidNotExist(ctx, `schema ${name}`, drop) : drop,
  );
  return items;
}

export function invertCreateType(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const domain = ctx.stmt.kind === 'CreateDomainStmt';
  const n =
    ctx.stmt.kind === 'CompositeTypeStmt'
      ? rangeVarName(a.typevar)
      : listName(domain ? a.domainname : a.typeName);
  if (ctx.before.types.has(relKey(n)) && ctx.stmt.kind !== 'CreateRangeStmt') return [];
  return [{ sql: `DROP ${domain ? 'DOMAIN' : 'TYPE'} ${qname(n.schema, n.name)}` }];
}

export function invertAlterEnum(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const n = listName(a.typeName);
  const key = relKey(n);
  if (a.oldVal)
    return [
      {
        sql: `ALTER TYPE ${qname(n.schema, n.name)} RENAME VALUE ${literal(a.newVal)} TO ${literal(a.oldVal)}`,
      },
    ];
  // a type this UP created goes away whole
  if (ctx.typeCreatedHere(key)) return [];
  const t = ctx.before.types.get(key);
  if (t?.values.includes(a.newVal)) return [];
  const todo = `PostgreSQL cannot remove the value '${a.newVal}' from enum ${key}; if it must go, the type can be rebuilt without it (rows that use the value make that fail)`;
  const rebuild = t && enumRebuild(ctx, n.schema ?? 'public', n.name, t.values);
  return [rebuild ? suggest(todo, rebuild.join(';\n')) : { todo }];
}

/**
 * The statements that rebuild an enum with its earlier values, converting the columns the model
 * knows to use it; undefined when the model cannot list them all.
 */
function enumRebuild(
  ctx: InvertContext,
  schema: string,
  name: string,
  values: string[],
): string[] | undefined {
  const b = ctx.before;
  if (b.opaque || [...b.tables.values()].some((t) => t.uncertain)) return undefined;
  const type = qname(schema, name);
  const old = qname(schema, `${name}_old`);
  const sql = [`CREATE TYPE ${old} AS ENUM (${values.map(literal).join(', ')})`];
  for (const t of b.tables.values())
    for (const c of t.columns.values()) {
      const array = c.typeSql === `${type}[]`;
      if (c.typeSql !== type && !array) continue;
      const col = quoteIdent(c.name);
      const cast = array ? `${col}::text[]::${old}[]` : `${col}::text::${old}`;
      const alter = `ALTER TABLE ${qname(t.schema, t.name)} ALTER COLUMN ${col}`;
      if (c.hasDefault) sql.push(`${alter} DROP DEFAULT`);
      sql.push(`${alter} TYPE ${old}${array ? '[]' : ''} USING ${cast}`);
      if (c.hasDefault && c.defaultText) sql.push(`${alter} SET DEFAULT ${c.defaultText}`);
    }
  sql.push(`DROP TYPE ${type}`, `ALTER TYPE ${old} RENAME TO ${quoteIdent(name)}`);
  return sql;
}

export function invertCreatePolicy(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const rel = rangeVarName(a.table);
  if (ctx.before.policies.has(`${relKey(rel)}.${a.policy_name}`)) return [];
  return [{ sql: `DROP POLICY ${quoteIdent(a.policy_name)} ON ${qname(rel.schema, rel.name)}` }];
}

export function invertAlterPolicy(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const rel = rangeVarName(a.table);
  const prev = ctx.before.policies.get(`${relKey(rel)}.${a.policy_name}`);
  if (!prev?.definition)
    return [
      {
        todo: `restore policy ${a.policy_name} on ${relKey(rel)}: the schema model does not know its earlier definition`,
      },
    ];
  return [
    { sql: `DROP POLICY ${quoteIdent(a.policy_name)} ON ${qname(rel.schema, rel.name)}` },
    { sql: `CREATE ${prev.definition.text}` },
  ];
}

export function invertAlterFunction(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const n = listName(a.func?.objname);
  for (const [, o] of ctx.before.objects)
    if (
      (o.kind === 'function' || o.kind === 'procedure') &&
      o.name === n.name &&
      o.schema === (n.schema ?? 'public')
    ) {
      if (o.definition) return [{ sql: `CREATE OR REPLACE ${o.definition.text}` }];
    }
  return [{ todo: `restore ${excerpt(ctx.stmt, 40)}: the earlier definition is not known` }];
}

const DROP_WORDS: Record<string, string> = {
  OBJECT_TABLE: 'table',
  OBJECT_INDEX: 'index',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'procedure',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'domain',
  OBJECT_SCHEMA: 'schema',
  OBJECT_EXTENSION: 'extension',
  OBJECT_POLICY: 'policy',
};

/** DROP …: everything the model saw go is recreated; the rows of a table cannot be. */
export function invertDrop(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const word = DROP_WORDS[a.removeType as string];
  if (!word) return [{ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` }];
  const items = recreateVanished(ctx.before, ctx.after(), {}, ctx.written);
  const out: DownItem[] = [];
  if (a.removeType === 'OBJECT_TABLE' || a.removeType === 'OBJECT_SCHEMA') {
    const gone = [...(ctx.written?.('tables') ?? ctx.before.tables.keys())].filter(
      (k) => ctx.before.tables.has(k) && !ctx.after().tables.has(k),
    );
    if (gone.length)
      out.push({
        todo: `${a.removeType === 'OBJECT_TABLE' ? 'DROP TABLE' : 'DROP SCHEMA'} cannot be undone: the rows of ${gone.join(', ')} are gone; the table${gone.length > 1 ? 's are' : ' is'} recreated empty`,
      });
  }
  if (items.length === 0 && !a.missing_ok)
    out.push({
      todo: `recreate what ${excerpt(ctx.stmt)} dropped: the schema model does not know the ${word}`,
    });
  if (a.behavior === 'DROP_CASCADE' && items.length > 0)
    out.push({
      note: `CASCADE may have dropped objects the schema model does not follow; check them`,
    });
  if (ctx.before.opaque && items.some((i) => i.sql))
    out.push({
      note: `the schema model is uncertain (${ctx.before.opaqueReason ?? 'dynamic SQL ran'}): this recreates what it saw`,
    });
  if (a.concurrent && a.removeType === 'OBJECT_INDEX')
    return [
      ...out,
      ...items.map((i) =>
        i.sql
          ? {
              ...i,
              sql: i.sql.replace(/^CREATE (UNIQUE )?INDEX /, 'CREATE $1INDEX CONCURRENTLY '),
              noTransaction: true,
            }
          : i,
      ),
    ];
  return [...out, ...items];
}

export function invertEventTrigger(ctx: InvertContext): DownItem[] {
  return [{ sql: `DROP EVENT TRIGGER ${quoteIdent(ctx.stmt.ast.trigname)}` }];
}

export function invertPublication(ctx: InvertContext): DownItem[] {
  return [{ sql: `DROP PUBLICATION ${quoteIdent(ctx.stmt.ast.pubname)}` }];
}

export function invertCreateRole(ctx: InvertContext): DownItem[] {
  return [
    {
      sql: `DROP ROLE ${quoteIdent(ctx.stmt.ast.role)}`,
      note: 'roles are shared by every database of the cluster',
    },
  ];
}

export function invertAlterSequence(ctx: InvertContext): DownItem[] {
  return [
    { todo: `restore the earlier settings changed by ${excerpt(ctx.stmt)}: they are not known` },
  ];
}
