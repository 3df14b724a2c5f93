/**
 * A batched rewrite of an UPDATE or DELETE that touches a whole table: a DO block that changes a
 * bounded batch of rows, COMMITs, and repeats. Transaction control inside DO needs PostgreSQL 11
 * and a DO run outside a transaction block, so the block goes where the runner runs it that way.
 *
 * Batches walk the primary key when the schema model knows a single integer one (every row once,
 * rows inserted meanwhile included). Without it, a DELETE repeats until nothing matches; an
 * UPDATE repeats until no row differs from its new value, which only ends when the new values do
 * not depend on the updated columns or on the time: otherwise no template is offered.
 */
import { quoteIdent, rangeVarName, relKey } from '../parser/ast';
import { statementTokens, type Ast } from '../parser/parse';
import { VOLATILE_FUNCTIONS, defaultVolatility } from './volatility';
import type { StatementContext } from './types';

export const BATCH_SIZE = 10000;

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);
// types without an equality operator: IS DISTINCT FROM fails on them
const NO_EQUALITY = new Set([
  'json',
  'xml',
  'point',
  'line',
  'lseg',
  'box',
  'path',
  'polygon',
  'circle',
]);
// functions whose value changes from one batch's transaction to the next
const TIME_FUNCTIONS = new Set(['now', 'transaction_timestamp', 'statement_timestamp']);

interface Parts {
  /** `UPDATE t AS x SET a = 1` / `DELETE FROM t`, as written. */
  head: string;
  /** WHERE condition as written, or undefined. */
  where: string | undefined;
  /** Name to qualify columns of the target table with (alias or table name). */
  ref: string;
}

/** The DO block, or undefined when no safe batching is known. */
export function batchedTemplate(ctx: StatementContext): string | undefined {
  const { stmt } = ctx;
  const a = stmt.ast;
  if (ctx.pgVersion < 11) return undefined;
  if (a.withClause || a.returningList?.length || a.returningClause) return undefined;
  if ((a.fromClause ?? []).length || (a.usingClause ?? []).length) return undefined;
  const parts = splitText(ctx);
  if (!parts) return undefined;
  const key = relKey(rangeVarName(a.relation));
  const pk = integerPrimaryKey(ctx, key);
  const table = rangeVarName(a.relation).name;
  const cond = parts.where ? `(${parts.where})` : undefined;
  if (pk) {
    const col = `${parts.ref}.${quoteIdent(pk)}`;
    const range = `${col} >= batch_start AND ${col} < batch_start + batch_size`;
    return [
      `-- ${stmt.kind === 'UpdateStmt' ? 'Update' : 'Delete'} ${table} in batches of ${BATCH_SIZE} rows by ${pk}, committing after each one.`,
      '-- Review the batch size; this must run outside a transaction block.',
      'DO $$',
      'DECLARE',
      `  batch_size constant bigint := ${BATCH_SIZE};`,
      '  batch_start bigint;',
      '  last_id bigint;',
      'BEGIN',
      `  SELECT min(${quoteIdent(pk)}), max(${quoteIdent(pk)}) INTO batch_start, last_id FROM ${tableText(ctx)};`,
      '  WHILE batch_start <= last_id LOOP',
      `    ${parts.head} WHERE ${range}${cond ? ` AND ${cond}` : ''};`,
      '    batch_start := batch_start + batch_size;',
      '    COMMIT;',
      '    -- rows inserted meanwhile are included',
      `    SELECT max(${quoteIdent(pk)}) INTO last_id FROM ${tableText(ctx)};`,
      '  END LOOP;',
      'END $$;',
    ].join('\n');
  }
  let remaining = cond;
  if (stmt.kind === 'UpdateStmt') {
    const progress = progressCondition(ctx, key, parts.ref);
    if (!progress) return undefined;
    remaining = cond ? `${cond} AND ${progress}` : progress;
  }
  const alias = stmt.ast.relation?.alias?.aliasname ? parts.ref : '';
  const from = `${tableText(ctx)}${alias ? ` AS ${alias}` : ''}`;
  const pick = `SELECT ctid FROM ${from}${remaining ? ` WHERE ${remaining}` : ''} LIMIT batch_size`;
  const ctid = alias ? `${alias}.ctid` : 'ctid';
  return [
    `-- ${stmt.kind === 'UpdateStmt' ? 'Update' : 'Delete'} ${table} in batches of ${BATCH_SIZE} rows, committing after each one, until no row is left to change.`,
    '-- Review the batch size; this must run outside a transaction block.',
    'DO $$',
    'DECLARE',
    `  batch_size constant bigint := ${BATCH_SIZE};`,
    '  changed bigint;',
    'BEGIN',
    '  LOOP',
    `    ${parts.head} WHERE ${ctid} = ANY (ARRAY(${pick}));`,
    '    GET DIAGNOSTICS changed = ROW_COUNT;',
    '    EXIT WHEN changed = 0;',
    '    COMMIT;',
    '  END LOOP;',
    'END $$;',
  ].join('\n');
}

/** The single integer primary-key column of the table, if the model knows one. */
function integerPrimaryKey(ctx: StatementContext, key: string): string | undefined {
  const t = ctx.catalog.table(key);
  if (!t || t.uncertain || ctx.catalog.opaque) return undefined;
  for (const c of t.constraints.values()) {
    if (c.type !== 'primary' || c.columns.length !== 1) continue;
    const col = t.columns.get(c.columns[0]);
    return col && INTEGER_TYPES.has(col.type.name) && !col.type.array ? col.name : undefined;
  }
  return undefined;
}

/**
 * `(a, b) IS DISTINCT FROM (e1, e2)` for UPDATE … SET a = e1, b = e2: true for rows not done yet.
 * Undefined when the loop could run forever (a value depends on an updated column, on time or on
 * chance) or the comparison could fail (a type without equality, or one the model does not know).
 */
function progressCondition(ctx: StatementContext, key: string, ref: string): string | undefined {
  const targets: Ast[] = (ctx.stmt.ast.targetList ?? []).map((t: Ast) => t.ResTarget);
  if (targets.length === 0 || targets.some((t) => !t?.name || t.indirection?.length))
    return undefined;
  const names = targets.map((t) => t.name as string);
  const exprs: string[] = [];
  for (const t of targets) {
    if (t.val?.MultiAssignRef || t.val?.SetToDefault) return undefined;
    if (usesColumns(t.val, names) || changesBetweenBatches(t.val)) return undefined;
    const col = ctx.catalog.column(key, t.name);
    if (!col || NO_EQUALITY.has(col.type.name)) return undefined;
    const text = exprText(ctx, t.val);
    if (!text) return undefined;
    exprs.push(text);
  }
  const cols = names.map((n) => `${ref}.${quoteIdent(n)}`);
  return names.length === 1
    ? `${cols[0]} IS DISTINCT FROM (${exprs[0]})`
    : `(${cols.join(', ')}) IS DISTINCT FROM (${exprs.map((e) => `(${e})`).join(', ')})`;
}

function usesColumns(e: Ast, names: string[]): boolean {
  let found = false;
  const visit = (n: Ast) => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const f = n.ColumnRef?.fields;
    if (f) {
      const last = f[f.length - 1]?.String?.sval;
      if (last && names.includes(last)) found = true;
      if (f[f.length - 1]?.A_Star) found = true;
    }
    for (const v of Object.values(n)) visit(v);
  };
  visit(e);
  return found;
}

/**
 * Whether the value could differ from one batch's transaction to the next: time, chance, a
 * function not known to be stable, or a subquery.
 */
function changesBetweenBatches(e: Ast): boolean {
  let found = false;
  const visit = (n: Ast) => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    if (n.SQLValueFunction || n.SubLink) found = true;
    const fc = n.FuncCall;
    if (fc) {
      const name = String(fc.funcname?.[fc.funcname.length - 1]?.String?.sval ?? '').toLowerCase();
      if (TIME_FUNCTIONS.has(name) || VOLATILE_FUNCTIONS.has(name)) found = true;
      // the function alone (its arguments are visited below)
      else if (defaultVolatility({ FuncCall: { ...fc, args: [] } }).volatile) found = true;
    }
    for (const v of Object.values(n)) visit(v);
  };
  visit(e);
  return found;
}

/** Source text of an expression: from its first location to the end of its last token. */
function exprText(ctx: StatementContext, e: Ast): string | undefined {
  const locs: number[] = [];
  const visit = (n: Ast) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    for (const [k, v] of Object.entries(n)) {
      if (k === 'location' && typeof v === 'number' && v >= 0) locs.push(v);
      else visit(v);
    }
  };
  visit(e);
  if (locs.length === 0) return undefined;
  const start = ctx.stmt.offsetOf(Math.min(...locs));
  // up to the `,` or WHERE that ends this assignment at depth 0
  const tokens = statementTokens(ctx.file.index, ctx.stmt).filter((t) => t.start >= start);
  let depth = 0;
  let end = start;
  for (const t of tokens) {
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') {
      if (depth === 0) break;
      depth--;
    } else if (
      depth === 0 &&
      (t.text === ',' || t.text === ';' || t.keyword === 'WHERE' || t.keyword === 'RETURNING')
    )
      break;
    end = t.end;
  }
  return ctx.file.text.slice(start, end).trim() || undefined;
}

function tableText(ctx: StatementContext): string {
  const rel = rangeVarName(ctx.stmt.ast.relation);
  return (rel.schema ? `${quoteIdent(rel.schema)}.` : '') + quoteIdent(rel.name);
}

/** `UPDATE … SET …` / `DELETE FROM …` and the WHERE condition, from the statement's tokens. */
function splitText(ctx: StatementContext): Parts | undefined {
  const { stmt, file } = ctx;
  const tokens = statementTokens(file.index, stmt);
  let depth = 0;
  let whereAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (depth === 0 && tokens[i].keyword === 'WHERE') {
      whereAt = i;
      break;
    }
  }
  const headEnd = whereAt >= 0 ? tokens[whereAt - 1].end : stmt.end;
  const head = file.text.slice(stmt.start, headEnd).trim();
  const where =
    whereAt >= 0
      ? file.text.slice(tokens[whereAt + 1]?.start ?? stmt.end, stmt.end).trim()
      : undefined;
  if (whereAt >= 0 && !where) return undefined;
  if (/\bWHERE\s+CURRENT\s+OF\b/i.test(file.text.slice(stmt.start, stmt.end))) return undefined;
  const alias: string | undefined = stmt.ast.relation?.alias?.aliasname;
  return { head, where, ref: quoteIdent(alias ?? rangeVarName(stmt.ast.relation).name) };
}
