/**
 * Undoing renames and schema moves (the name goes back), data changes and procedural code (which
 * cannot be undone: a TODO says so), and statements that change no schema at all.
 */
import { listName, quoteIdent, rangeVarName, relKey, stringList, walkAst } from '../parser/ast';
import type { Ast } from '../parser/parse';
import { typeSql } from '../schema/typeSql';
import { excerpt, type InvertContext } from './context';
import { qname } from './sql';
import type { DownItem } from './types';

const RELATION_WORDS: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_INDEX: 'INDEX',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
};

/** `name(argtypes)` of an ObjectWithArgs as SQL, or the bare name when no arguments were given. */
function routineSql(w: Ast, name?: string, schema?: string): string | undefined {
  const n = listName(w?.objname);
  const head = qname(schema ?? n.schema, name ?? n.name);
  if (!w || w.args_unspecified) return head;
  const types = (w.objargs ?? []).map((t: Ast) => typeSql(t.TypeName ?? t));
  if (types.some((t: string | undefined) => t === undefined)) return undefined;
  return `${head}(${types.join(', ')})`;
}

/** Whether the model knows the relation an ALTER … IF EXISTS … RENAME names. */
function relationKnown(ctx: InvertContext, key: string): boolean {
  const b = ctx.before;
  return (
    b.tables.has(key) ||
    b.indexes.has(key) ||
    b.matviews.has(key) ||
    b.objects.has(`view:${key}`) ||
    b.objects.has(`sequence:${key}`)
  );
}

export function invertRename(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const rel = a.relation ? rangeVarName(a.relation) : undefined;
  // IF EXISTS on something that was not there renamed nothing
  if (a.missing_ok && rel && !relationKnown(ctx, relKey(rel))) return [];
  const word = RELATION_WORDS[a.renameType as string];
  // IF EXISTS goes back too: undoing a rename that did not happen must not fail either
  const ifExists = a.missing_ok ? 'IF EXISTS ' : '';
  if (word && rel)
    return [
      {
        sql: `ALTER ${word} ${ifExists}${qname(rel.schema, a.newname)} RENAME TO ${quoteIdent(rel.name)}`,
      },
    ];
  const on = rel ? `${ifExists}${qname(rel.schema, rel.name)}` : '';
  const relWord = RELATION_WORDS[a.relationType as string] ?? 'TABLE';
  switch (a.renameType) {
    case 'OBJECT_COLUMN':
      return [
        {
          sql: `ALTER ${relWord} ${on} RENAME COLUMN ${quoteIdent(a.newname)} TO ${quoteIdent(a.subname)}`,
        },
      ];
    case 'OBJECT_TABCONSTRAINT':
      return [
        {
          sql: `ALTER TABLE ${on} RENAME CONSTRAINT ${quoteIdent(a.newname)} TO ${quoteIdent(a.subname)}`,
        },
      ];
    case 'OBJECT_TRIGGER':
      return [
        {
          sql: `ALTER TRIGGER ${quoteIdent(a.newname)} ON ${on} RENAME TO ${quoteIdent(a.subname)}`,
        },
      ];
    case 'OBJECT_POLICY':
      return [
        {
          sql: `ALTER POLICY ${quoteIdent(a.newname)} ON ${on} RENAME TO ${quoteIdent(a.subname)}`,
        },
      ];
    case 'OBJECT_SCHEMA':
      return [{ sql: `ALTER SCHEMA ${quoteIdent(a.newname)} RENAME TO ${quoteIdent(a.subname)}` }];
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const n = listName(a.object?.List?.items ?? a.object?.TypeName?.names);
      const w = a.renameType === 'OBJECT_DOMAIN' ? 'DOMAIN' : 'TYPE';
      return [{ sql: `ALTER ${w} ${qname(n.schema, a.newname)} RENAME TO ${quoteIdent(n.name)}` }];
    }
    case 'OBJECT_ATTRIBUTE': {
      const t = rel ?? { name: '' };
      return [
        {
          sql: `ALTER TYPE ${qname(t.schema, t.name)} RENAME ATTRIBUTE ${quoteIdent(a.newname)} TO ${quoteIdent(a.subname)}`,
        },
      ];
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE': {
      const w = a.object?.ObjectWithArgs;
      const sig = routineSql(w, a.newname);
      const old = listName(w?.objname).name;
      if (!sig)
        return [
          { todo: `rename ${a.newname} back to ${old}: pgmig cannot spell its argument types` },
        ];
      const kind = a.renameType === 'OBJECT_FUNCTION' ? 'FUNCTION' : 'PROCEDURE';
      return [{ sql: `ALTER ${kind} ${sig} RENAME TO ${quoteIdent(old)}` }];
    }
    default:
      return [{ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` }];
  }
}

export function invertSetSchema(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  const word = RELATION_WORDS[a.objectType as string];
  if (word && a.relation) {
    const rel = rangeVarName(a.relation);
    return [
      {
        sql: `ALTER ${word} ${qname(a.newschema, rel.name)} SET SCHEMA ${quoteIdent(rel.schema ?? 'public')}`,
      },
    ];
  }
  switch (a.objectType) {
    case 'OBJECT_TYPE':
    case 'OBJECT_DOMAIN': {
      const n = listName(a.object?.List?.items ?? a.object?.TypeName?.names);
      const w = a.objectType === 'OBJECT_DOMAIN' ? 'DOMAIN' : 'TYPE';
      return [
        {
          sql: `ALTER ${w} ${qname(a.newschema, n.name)} SET SCHEMA ${quoteIdent(n.schema ?? 'public')}`,
        },
      ];
    }
    case 'OBJECT_FUNCTION':
    case 'OBJECT_PROCEDURE': {
      const w = a.object?.ObjectWithArgs;
      const n = listName(w?.objname);
      const sig = routineSql(w, n.name, a.newschema);
      if (!sig)
        return [
          {
            todo: `move ${n.name} back to ${n.schema ?? 'public'}: pgmig cannot spell its argument types`,
          },
        ];
      const kind = a.objectType === 'OBJECT_FUNCTION' ? 'FUNCTION' : 'PROCEDURE';
      return [{ sql: `ALTER ${kind} ${sig} SET SCHEMA ${quoteIdent(n.schema ?? 'public')}` }];
    }
    default:
      return [{ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` }];
  }
}

/** The table a data change writes to. */
function dmlTable(a: Ast): string | undefined {
  const rv = a.relation ?? a.relations?.[0]?.RangeVar;
  return rv ? relKey(rangeVarName(rv)) : undefined;
}

/** INSERT / UPDATE / DELETE / TRUNCATE / COPY / MERGE: data cannot be put back. */
export function invertData(ctx: InvertContext): DownItem[] {
  const table = dmlTable(ctx.stmt.ast);
  // rows written to a table this UP created leave with the table
  if (table && ctx.createdHere(table)) return [];
  return [{ todo: `data changes cannot be undone: ${excerpt(ctx.stmt)}` }];
}

// functions a migration calls for their result or session effect, with no schema effect
const HARMLESS = new Set([
  'set_config',
  'current_setting',
  'now',
  'pg_advisory_lock',
  'pg_advisory_unlock',
  'pg_advisory_xact_lock',
  'pg_try_advisory_lock',
  'pg_try_advisory_xact_lock',
  'pg_sleep',
  'count',
  'exists',
]);

/** SELECT: harmless unless it calls functions whose effects pgmig cannot know. */
export function invertSelect(ctx: InvertContext): DownItem[] {
  const a = ctx.stmt.ast;
  if (a.intoClause) return [{ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` }];
  const calls = new Set<string>();
  walkAst(a, (k, v) => {
    if (k === 'FuncCall') {
      const name = stringList(v.funcname).pop()?.toLowerCase();
      if (name && !HARMLESS.has(name)) calls.add(name);
    }
  });
  if (calls.size === 0) return [];
  if (calls.has('setval'))
    return [{ todo: `the earlier position of the sequence cannot be told: ${excerpt(ctx.stmt)}` }];
  return [
    {
      todo: `${excerpt(ctx.stmt)} calls ${[...calls].join(', ')}; pgmig cannot undo what a function does`,
    },
  ];
}

export function invertDo(ctx: InvertContext): DownItem[] {
  return [
    { todo: `a DO block runs procedural code that pgmig does not undo: ${excerpt(ctx.stmt)}` },
  ];
}

export function invertUnknown(ctx: InvertContext): DownItem[] {
  return [{ todo: `pgmig cannot undo ${excerpt(ctx.stmt)}` }];
}

export function noInverse(): DownItem[] {
  return [];
}
