/**
 * Column types as written in CREATE TABLE, ALTER TABLE … ADD COLUMN and ALTER COLUMN … TYPE, for
 * the type style rules (prefer-bigint-over-int, prefer-timestamptz, …): where each type is, its
 * exact source text, and whether replacing it in place is safe.
 */
import { memoByTree } from '../parser/treeMemo';
import { statementLightTokens } from '../parser/lexer';
import { rangeVarName, relKey, walkAst } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import type { Edit, StatementContext } from './types';

export interface ColumnTypeUse {
  kind: 'create' | 'add' | 'alter';
  column: string;
  typeName: Ast;
  /** The ColumnDef (for ALTER COLUMN … TYPE, the one holding the new type). */
  colDef: Ast;
}

/** Every column type the statement writes, in source order (the same objects for one tree). */
export const columnTypeUses = memoByTree((stmt: Statement): readonly ColumnTypeUse[] => {
  const out: ColumnTypeUse[] = [];
  if (stmt.kind === 'CreateStmt') {
    for (const e of stmt.ast.tableElts ?? []) {
      const def = e.ColumnDef;
      if (def?.typeName)
        out.push({ kind: 'create', column: def.colname, typeName: def.typeName, colDef: def });
    }
  } else if (
    stmt.kind === 'AlterTableStmt' &&
    (stmt.ast.objtype ?? 'OBJECT_TABLE') === 'OBJECT_TABLE'
  ) {
    for (const c of stmt.ast.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      const def = cmd?.def?.ColumnDef;
      if (!def?.typeName) continue;
      if (cmd.subtype === 'AT_AddColumn')
        out.push({ kind: 'add', column: def.colname, typeName: def.typeName, colDef: def });
      else if (cmd.subtype === 'AT_AlterColumnType')
        out.push({ kind: 'alter', column: cmd.name, typeName: def.typeName, colDef: def });
    }
  }
  return out;
});

/** The last segment of the type's name as written (`int4`, `serial`, `bpchar`), lower case. */
export function typeNameOf(typeName: Ast): string {
  const names: Ast[] = typeName?.names ?? [];
  return String(names[names.length - 1]?.String?.sval ?? '').toLowerCase();
}

/** Whether the type is written unqualified or qualified with pg_catalog (not a user type). */
export function isBuiltinName(typeName: Ast): boolean {
  const names: Ast[] = typeName?.names ?? [];
  return names.length === 1 || (names.length === 2 && names[0]?.String?.sval === 'pg_catalog');
}

export interface TypeText {
  start: number;
  end: number;
  text: string;
}

// words that end a type in a column definition (the clauses that may follow it)
const AFTER_TYPE = new Set(
  'COLLATE USING COMPRESSION STORAGE CONSTRAINT DEFAULT NOT NULL PRIMARY UNIQUE CHECK REFERENCES GENERATED OPTIONS DEFERRABLE INITIALLY'.split(
    ' ',
  ),
);

/** The type's source text: from its first token up to the clause that follows it. */
export function typeText(stmt: Statement, use: ColumnTypeUse): TypeText | undefined {
  const start = stmt.offsetOf(use.typeName.location);
  if (use.typeName.location === undefined || use.typeName.location < 0) return undefined;
  let limit = Infinity;
  for (const c of use.colDef.constraints ?? []) {
    const at = c.Constraint?.location;
    if (typeof at === 'number' && at >= 0) {
      const off = stmt.offsetOf(at);
      if (off > start) limit = Math.min(limit, off);
    }
  }
  const coll = use.colDef.collClause?.location;
  if (typeof coll === 'number' && coll >= 0) limit = Math.min(limit, stmt.offsetOf(coll));
  const tokens = statementLightTokens(stmt.text, { ...stmt, start: 0 }).map((t) => ({
    ...t,
    start: t.start + stmt.start,
    end: t.end + stmt.start,
  }));
  const first = tokens.findIndex((t) => t.start === start);
  if (first < 0) return undefined;
  let depth = 0;
  let last = first;
  for (let j = first; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.start >= limit) break;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (t.text === ',' || t.text === ';')) break;
    else if (depth === 0 && j > first && AFTER_TYPE.has(t.text.toUpperCase())) break;
    last = j;
  }
  const end = tokens[last].end;
  return { start, end, text: stmt.text.slice(start - stmt.start, end - stmt.start) };
}

/** Lower case, single spaces, no spaces around brackets: `timestamp(3) without time zone`. */
export function normalizedTypeText(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([([,])\s*/g, '$1')
    .replace(/\s*([)\]])/g, '$1')
    .trim();
}

/**
 * Whether the type can be replaced where it is written without breaking the migration: a column
 * of a new plain table or a column being added (not ALTER COLUMN TYPE), written with a built-in
 * type name, and not read by an expression, an operator class, a foreign key or a partition key
 * that may not accept the new type (a CHECK calling json_typeof, an index on lower(c::date)).
 */
export function replaceableInPlace(
  ctx: StatementContext,
  use: ColumnTypeUse,
  opts: { allowForeignKeys?: boolean } = {},
): boolean {
  const { stmt } = ctx;
  if (!replaceableInStatement(stmt, use, opts)) return false;
  const key = relKey(rangeVarName(stmt.ast.relation));
  return !ctx.usedLater(key, (s) => laterUseOf(s, key, use.column, opts));
}

// what the statement itself says depends on its tree only: worked out once per column, not on
// every lint (a wide CREATE TABLE asks about every element for every flagged column)
const inStatement = new WeakMap<ColumnTypeUse, [boolean?, boolean?]>();

function replaceableInStatement(
  stmt: Statement,
  use: ColumnTypeUse,
  opts: { allowForeignKeys?: boolean },
): boolean {
  let known = inStatement.get(use);
  if (!known) inStatement.set(use, (known = []));
  const slot = opts.allowForeignKeys ? 1 : 0;
  return (known[slot] ??= statementAllows(stmt, use, opts));
}

function statementAllows(
  stmt: Statement,
  use: ColumnTypeUse,
  opts: { allowForeignKeys?: boolean },
): boolean {
  if (use.kind === 'alter') return false;
  const a = stmt.ast;
  if (stmt.kind === 'CreateStmt') {
    if ((a.inhRelations ?? []).length > 0 || a.partbound || a.ofTypename) return false;
    if (readsColumn(a.partspec, use.column)) return false;
    for (const e of a.tableElts ?? []) {
      if (e.Constraint && constraintUses(e.Constraint, use.column, opts)) return false;
      if (e.ColumnDef)
        for (const c of e.ColumnDef.constraints ?? []) {
          const con = c.Constraint;
          const own = e.ColumnDef === use.colDef;
          if (con && constraintUses(con, own ? undefined : use.column, opts, own)) return false;
        }
    }
  } else {
    for (const c of use.colDef.constraints ?? [])
      if (c.Constraint && constraintUses(c.Constraint, undefined, opts, true)) return false;
  }
  return true;
}

// a statement that many columns' verdicts read (an index on a busy table) answers each question
// once per tree, for this lint and the next
type Answers = Map<string, Map<string, boolean>>;
const laterUses = memoByTree((): [Answers, Answers] => [new Map(), new Map()]);

function laterUseOf(
  s: Statement,
  key: string,
  column: string,
  opts: { allowForeignKeys?: boolean },
): boolean {
  const byTable = laterUses(s)[opts.allowForeignKeys ? 1 : 0];
  let answers = byTable.get(key);
  if (!answers) byTable.set(key, (answers = new Map()));
  let v = answers.get(column);
  if (v === undefined) answers.set(column, (v = laterUse(s, key, column, opts)));
  return v;
}

// Every flagged column asks about the statements after it: index once per section which
// statements can touch a table (its indexes, its ALTERs, foreign keys to it), so a long section
// costs each column a few lookups rather than a walk over everything after it.
const touchIndex = new WeakMap<readonly Statement[], Map<string, number[]>>();

export function touching(statements: readonly Statement[]): Map<string, number[]> {
  let index = touchIndex.get(statements);
  if (index) return index;
  const map = new Map<string, number[]>();
  index = map;
  const add = (key: string, i: number) => {
    const list = map.get(key);
    if (!list) map.set(key, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  statements.forEach((s, i) => {
    const a = s.ast;
    if (s.kind === 'IndexStmt' && a.relation) add(relKey(rangeVarName(a.relation)), i);
    else if (s.kind === 'AlterTableStmt' && a.relation) {
      add(relKey(rangeVarName(a.relation)), i);
      for (const c of a.cmds ?? []) {
        const con = c.AlterTableCmd?.def?.Constraint;
        if (con?.contype === 'CONSTR_FOREIGN' && con.pktable)
          add(relKey(rangeVarName(con.pktable)), i);
      }
    } else if (s.kind === 'CreateStmt')
      for (const con of foreignKeysOf(s))
        if (con.pktable) add(relKey(rangeVarName(con.pktable)), i);
  });
  touchIndex.set(statements, index);
  return index;
}

/**
 * Whether a constraint reads the column in a way a type change may break. `column` undefined:
 * the constraint belongs to the column itself (`own`).
 */
function constraintUses(
  con: Ast,
  column: string | undefined,
  opts: { allowForeignKeys?: boolean },
  own = false,
): boolean {
  switch (con.contype) {
    case 'CONSTR_CHECK':
    case 'CONSTR_GENERATED':
      return own || readsColumn(con.raw_expr, column);
    case 'CONSTR_EXCLUSION':
      return own || readsColumn(con.exclusions, column) || hasElem(con.exclusions, column);
    case 'CONSTR_FOREIGN':
      if (opts.allowForeignKeys) return false;
      return (
        own ||
        (column !== undefined && (con.fk_attrs ?? []).some((n: Ast) => n.String?.sval === column))
      );
    default:
      return false;
  }
}

function laterUse(
  s: Statement,
  key: string,
  column: string,
  opts: { allowForeignKeys?: boolean },
): boolean {
  const a = s.ast;
  if (s.kind === 'IndexStmt' && relKey(rangeVarName(a.relation)) === key) {
    for (const p of a.indexParams ?? []) {
      const e = p.IndexElem;
      if (!e) continue;
      if (e.name === column && (e.opclass?.length ?? 0) > 0) return true;
      if (readsColumn(e.expr, column)) return true;
    }
    return readsColumn(a.whereClause, column);
  }
  if (s.kind === 'AlterTableStmt') {
    const same = relKey(rangeVarName(a.relation)) === key;
    for (const c of a.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      const con = cmd?.def?.Constraint;
      if (con) {
        if (same && constraintUses(con, column, opts)) return true;
        if (!opts.allowForeignKeys && referencesColumn(con, key, column)) return true;
      }
      const def = cmd?.def?.ColumnDef;
      if (same && def)
        for (const cc of def.constraints ?? [])
          if (cc.Constraint && constraintUses(cc.Constraint, column, opts)) return true;
    }
  }
  if (s.kind === 'CreateStmt' && !opts.allowForeignKeys)
    return foreignKeysOf(s).some((con) => referencesColumn(con, key, column));
  return false;
}

// every flagged column asks every later statement: walk each CREATE TABLE's tree once, not each time
const foreignKeysOf = memoByTree((s: Statement): readonly Ast[] => {
  const found: Ast[] = [];
  walkAst(s.ast.tableElts, (k, v) => {
    if (k === 'Constraint' && v.contype === 'CONSTR_FOREIGN') found.push(v);
  });
  return found;
});

function referencesColumn(con: Ast, key: string, column: string): boolean {
  if (con.contype !== 'CONSTR_FOREIGN' || !con.pktable) return false;
  if (relKey(rangeVarName(con.pktable)) !== key) return false;
  const cols: Ast[] = con.pk_attrs ?? [];
  // REFERENCES t without columns means its primary key, which may be this column
  return cols.length === 0 || cols.some((n) => n.String?.sval === column);
}

function readsColumn(node: Ast, column: string | undefined): boolean {
  if (!node || column === undefined) return false;
  let found = false;
  walkAst(node, (k, v) => {
    if (k === 'ColumnRef') {
      const f = v.fields?.[v.fields.length - 1]?.String?.sval;
      if (f === column) found = true;
    }
  });
  return found;
}

function hasElem(node: Ast, column: string | undefined): boolean {
  let found = false;
  walkAst(node, (k, v) => {
    if (k === 'IndexElem' && v.name === column) found = true;
  });
  return found;
}

/** Replaces the type's text. */
export function replaceType(path: string, t: TypeText, newText: string): Edit {
  return { file: path, start: t.start, end: t.end, newText };
}
