/**
 * "Create it unless it exists", written as a DO block because the statement has no IF NOT
 * EXISTS:
 *
 *   DO $$ BEGIN CREATE TYPE mood AS ENUM (…); EXCEPTION WHEN duplicate_object THEN null; END $$;
 *   DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN
 *     CREATE TYPE mood AS ENUM (…); END IF; END $$;
 *
 * Such a block is its statements, each run only when what it creates is not there yet. Anything
 * else in the block (loops, variables, dynamic SQL, other handlers) and it is not recognised.
 */
import { memoByTree } from '../parser/treeMemo';
import { listName, rangeVarName, relKey } from '../parser/ast';
import { parsePlpgsqlBody, parseSql, type Ast, type Statement } from '../parser/parse';
import { TextIndex } from '../text/positions';
import { objectKey, type Catalog } from './catalog';

/** Conditions a handler may swallow: the object is there already. */
const DUPLICATE = new Set([
  'duplicate_object',
  'duplicate_table',
  'duplicate_column',
  'duplicate_schema',
  'duplicate_function',
  'unique_violation',
]);

function bodyOf(a: Ast): string | undefined {
  let language = 'plpgsql';
  let body: string | undefined;
  for (const d of a.args ?? []) {
    const e = d.DefElem;
    if (e?.defname === 'as') body = e.arg?.String?.sval;
    if (e?.defname === 'language') language = String(e.arg?.String?.sval ?? '').toLowerCase();
  }
  return language === 'plpgsql' ? body : undefined;
}

interface Found {
  queries: Array<{ sql: string; guard?: string }>;
}

/** Collects the SQL of a block of allowed statements; false when something else is in it. */
function collect(stmts: Ast[], out: Found, guard?: string): boolean {
  for (const s of stmts ?? []) {
    if (s.PLpgSQL_stmt_return && !s.PLpgSQL_stmt_return.expr) continue;
    if (s.PLpgSQL_stmt_execsql) {
      const q = s.PLpgSQL_stmt_execsql.sqlstmt?.PLpgSQL_expr?.query;
      if (typeof q !== 'string' || s.PLpgSQL_stmt_execsql.into) return false;
      out.queries.push({ sql: q, guard });
      continue;
    }
    if (s.PLpgSQL_stmt_block) {
      const b = s.PLpgSQL_stmt_block;
      for (const h of b.exceptions?.PLpgSQL_exception_block?.exc_list ?? []) {
        const e = h.PLpgSQL_exception;
        const conds = (e?.conditions ?? []).map((c: Ast) => c.PLpgSQL_condition?.condname);
        if (!conds.every((c: string) => DUPLICATE.has(c))) return false;
        // the handler may only say so
        if (
          !(e.action ?? []).every(
            (x: Ast) => x.PLpgSQL_stmt_raise && x.PLpgSQL_stmt_raise.elog_level !== 21,
          )
        )
          return false;
      }
      if (!collect(b.body, out, guard)) return false;
      continue;
    }
    if (s.PLpgSQL_stmt_if) {
      const i = s.PLpgSQL_stmt_if;
      const cond = i.cond?.PLpgSQL_expr?.query;
      if (typeof cond !== 'string' || i.elsif_list || i.else_body) return false;
      if (!/^\s*NOT\s+EXISTS\s*\(/i.test(cond)) return false;
      if (!collect(i.then_body, out, cond)) return false;
      continue;
    }
    return false;
  }
  return true;
}

const CREATES = new Set([
  'CreateEnumStmt',
  'CompositeTypeStmt',
  'CreateDomainStmt',
  'CreateStmt',
  'IndexStmt',
  'CreateExtensionStmt',
  'CreateSchemaStmt',
  'CreateSeqStmt',
  'AlterTableStmt',
  'RenameStmt',
  'CreateTrigStmt',
  'CreatePolicyStmt',
]);

/**
 * The statements of a "create unless it exists" DO block, or undefined when the block is anything
 * else.
 */
export function guardedStatements(stmt: Statement): Statement[] | undefined {
  return stmt.kind === 'DoStmt' ? guardedOf(stmt) : undefined;
}

// a pure function of the block's text, asked by the model and by DOWN generation
const guardedOf = memoByTree((stmt: Statement): Statement[] | undefined => {
  const body = bodyOf(stmt.ast);
  if (!body) return undefined;
  const fn = parsePlpgsqlBody(body);
  // only the implicit variables: a DECLARE section means real procedural code
  if (
    !fn ||
    (fn.datums ?? []).some((d: Ast) => !/^(found|sqlstate|sqlerrm)$/.test(d.PLpgSQL_var?.refname))
  )
    return undefined;
  const found: Found = { queries: [] };
  if (!collect(fn.action?.PLpgSQL_stmt_block?.body ?? [], found) || found.queries.length === 0)
    return undefined;
  const out: Statement[] = [];
  for (const q of found.queries) {
    const r = parseSql(new TextIndex(q.sql));
    if (r.errors.length || r.statements.length !== 1) return undefined;
    const s = r.statements[0];
    if (!CREATES.has(s.kind) || !createsOnly(s)) return undefined;
    // an IF NOT EXISTS guard must be about the object the statement creates
    const name = createdName(s);
    if (q.guard && (!name || !q.guard.toLowerCase().includes(name.toLowerCase()))) return undefined;
    out.push(s);
  }
  return out;
});

function createsOnly(s: Statement): boolean {
  if (s.kind === 'AlterTableStmt')
    return (s.ast.cmds ?? []).every((w: Ast) =>
      /^AT_Add(Column|Constraint)$/.test(w.AlterTableCmd?.subtype),
    );
  if (s.kind === 'RenameStmt') return s.ast.renameType === 'OBJECT_COLUMN';
  return true;
}

/** The name a guard should mention: the type, table, index, column or constraint created. */
function createdName(s: Statement): string | undefined {
  const a = s.ast;
  switch (s.kind) {
    case 'CreateEnumStmt':
    case 'CreateDomainStmt':
      return listName(s.kind === 'CreateDomainStmt' ? a.domainname : a.typeName).name;
    case 'CompositeTypeStmt':
      return a.typevar?.relname;
    case 'CreateStmt':
      return a.relation?.relname;
    case 'IndexStmt':
      return a.idxname;
    case 'CreateExtensionStmt':
      return a.extname;
    case 'CreateSchemaStmt':
      return a.schemaname;
    case 'CreateSeqStmt':
      return a.sequence?.relname;
    case 'RenameStmt':
      return a.newname;
    case 'AlterTableStmt': {
      const cmd = a.cmds?.[0]?.AlterTableCmd;
      return cmd?.def?.ColumnDef?.colname ?? cmd?.def?.Constraint?.conname;
    }
    case 'CreateTrigStmt':
      return a.trigname;
    case 'CreatePolicyStmt':
      return a.policy_name;
    default:
      return undefined;
  }
}

/** Whether what the statement creates is there already (then the block skips it). */
export function alreadyThere(catalog: Catalog, s: Statement): boolean {
  const a = s.ast;
  switch (s.kind) {
    case 'CreateEnumStmt':
    case 'CreateDomainStmt':
      return catalog.types.has(
        relKey(listName(s.kind === 'CreateDomainStmt' ? a.domainname : a.typeName)),
      );
    case 'CompositeTypeStmt':
      return catalog.types.has(relKey(rangeVarName(a.typevar)));
    case 'CreateStmt':
      return catalog.tables.has(relKey(rangeVarName(a.relation)));
    case 'IndexStmt':
      return (
        !!a.idxname && catalog.indexes.has(`${a.relation?.schemaname ?? 'public'}.${a.idxname}`)
      );
    case 'CreateExtensionStmt':
      return catalog.objects.has(objectKey({ kind: 'extension', schema: '', name: a.extname }));
    case 'CreateSchemaStmt':
      return catalog.schemas.has(a.schemaname);
    case 'CreateSeqStmt':
      return catalog.objects.has(
        objectKey({
          kind: 'sequence',
          schema: a.sequence?.schemaname ?? 'public',
          name: a.sequence?.relname,
        }),
      );
    case 'RenameStmt': {
      const t = catalog.tables.get(relKey(rangeVarName(a.relation)));
      return !t || t.columns.has(a.newname) || !t.columns.has(a.subname);
    }
    case 'AlterTableStmt': {
      const t = catalog.tables.get(relKey(rangeVarName(a.relation)));
      const cmd = a.cmds?.[0]?.AlterTableCmd;
      const col = cmd?.def?.ColumnDef?.colname;
      const con = cmd?.def?.Constraint?.conname;
      return !!t && ((!!col && t.columns.has(col)) || (!!con && t.constraints.has(con)));
    }
    case 'CreateTrigStmt':
      return catalog.objects.has(
        objectKey({
          kind: 'trigger',
          schema: '',
          name: a.trigname,
          table: relKey(rangeVarName(a.relation)),
        }),
      );
    case 'CreatePolicyStmt':
      return catalog.policies.has(`${relKey(rangeVarName(a.table))}.${a.policy_name}`);
    default:
      return false;
  }
}
