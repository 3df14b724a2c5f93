/**
 * Whether a DEFAULT expression is volatile, decided from the parse tree alone. From PostgreSQL 11
 * ADD COLUMN evaluates a non-volatile default once and stores it as the value of every existing
 * row; a volatile one must be evaluated per row, which rewrites the table. Functions this module
 * does not know (user functions included) count as volatile: a false alarm costs less than an
 * unexpected rewrite.
 */
import { stringList } from '../parser/ast';
import type { Ast } from '../parser/parse';

// Stable or immutable built-ins commonly seen in defaults (pg_proc.provolatile <> 'v').
const NON_VOLATILE = new Set(
  (
    'now transaction_timestamp statement_timestamp current_date current_time localtime ' +
    'localtimestamp lower upper initcap length char_length octet_length trim btrim ltrim rtrim ' +
    'concat concat_ws replace substring substr left right lpad rpad repeat reverse split_part ' +
    'abs round trunc floor ceil ceiling sign mod power sqrt greatest least nullif coalesce ' +
    'to_char to_date to_timestamp to_number date_trunc date_part make_date make_time ' +
    'make_timestamp make_timestamptz make_interval timezone age ' +
    'json_build_object json_build_array jsonb_build_object jsonb_build_array to_json to_jsonb ' +
    'array_length cardinality array_fill string_to_array array_to_string md5 encode decode ' +
    'current_setting current_schema current_user session_user current_database version ' +
    'extract overlay position int2 int4 int8 float4 float8 numeric text bool'
  ).split(/\s+/),
);

// Known volatile functions, named in messages.
export const VOLATILE_FUNCTIONS = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
  'txid_current',
  'pg_current_xact_id',
  'gen_random_bytes',
]);

export interface Volatility {
  volatile: boolean;
  /** The function that makes it volatile, or why it is assumed to be. */
  reason?: string;
}

export function defaultVolatility(expr: Ast): Volatility {
  const reason = volatileReason(expr);
  return reason ? { volatile: true, reason } : { volatile: false };
}

/** Whether the expression is the NULL constant, possibly cast: no default value at all. */
export function isNullConstant(expr: Ast): boolean {
  if (expr?.TypeCast) return isNullConstant(expr.TypeCast.arg);
  return expr?.A_Const?.isnull === true;
}

function all(nodes: Ast[] | undefined): string | undefined {
  for (const n of nodes ?? []) {
    const r = volatileReason(n);
    if (r) return r;
  }
  return undefined;
}

function volatileReason(e: Ast): string | undefined {
  if (!e || typeof e !== 'object') return undefined;
  if (e.A_Const || e.SQLValueFunction) return undefined;
  if (e.TypeCast) return volatileReason(e.TypeCast.arg);
  if (e.CollateClause) return volatileReason(e.CollateClause.arg);
  if (e.A_ArrayExpr) return all(e.A_ArrayExpr.elements);
  if (e.RowExpr) return all(e.RowExpr.args);
  if (e.CoalesceExpr) return all(e.CoalesceExpr.args);
  if (e.MinMaxExpr) return all(e.MinMaxExpr.args);
  if (e.BoolExpr) return all(e.BoolExpr.args);
  if (e.NullTest) return volatileReason(e.NullTest.arg);
  if (e.BooleanTest) return volatileReason(e.BooleanTest.arg);
  if (e.A_Expr) {
    // operators of built-in types are immutable or stable; a schema-qualified one may not be
    if ((e.A_Expr.name ?? []).length > 1) return 'a schema-qualified operator';
    const r = e.A_Expr.rexpr;
    return volatileReason(e.A_Expr.lexpr) ?? (Array.isArray(r) ? all(r) : volatileReason(r));
  }
  if (e.CaseExpr) {
    const c = e.CaseExpr;
    for (const w of c.args ?? []) {
      const r = volatileReason(w.CaseWhen?.expr) ?? volatileReason(w.CaseWhen?.result);
      if (r) return r;
    }
    return volatileReason(c.arg) ?? volatileReason(c.defresult);
  }
  if (e.FuncCall) {
    const parts = stringList(e.FuncCall.funcname).map((s) => s.toLowerCase());
    const name = parts[parts.length - 1] ?? '';
    const schema = parts.length > 1 ? parts[parts.length - 2] : 'pg_catalog';
    if (VOLATILE_FUNCTIONS.has(name)) return `${name}() is volatile`;
    if (schema !== 'pg_catalog' || !NON_VOLATILE.has(name))
      return `${parts.join('.')}() is not a known stable or immutable built-in`;
    return all(e.FuncCall.args);
  }
  return 'the expression cannot be proved non-volatile';
}
