/**
 * The SQL the schema model keeps for recreating what a statement defines: column types and
 * defaults, constraints in their table-level form, index definitions. Taken from the statement's
 * own source (see source.ts); undefined wherever the text cannot be taken exactly.
 */
import { quoteIdent } from '../parser/ast';
import type { Ast, Statement } from '../parser/parse';
import {
  extent,
  findKeyword,
  matchParen,
  namesIn,
  skipConstraintName,
  sourceOf,
  spanText,
  tokenAt,
  trimTrailing,
  type Span,
  type StmtSource,
} from './source';
import { serialKind, typeSql } from './typeSql';

/** Kept SQL and the names it mentions (renaming one of them makes the text stale). */
export interface Piece {
  text: string;
  names: string[];
}

function piece(src: StmtSource, span: Span): Piece | undefined {
  const text = spanText(src, span);
  return text ? { text, names: namesIn(src, span) } : undefined;
}

/** Token index right after a qualified name starting at AST location `loc`. */
function afterName(src: StmtSource, loc: number | undefined): number {
  let i = tokenAt(src, src.rel(loc));
  i++;
  while (src.tokens[i]?.text === '.') i += 2;
  if (src.tokens[i]?.text === '*') i++;
  return i;
}

/** Splits tokens [from, to) at depth-0 commas. */
function splitList(src: StmtSource, from: number, to: number): Span[] {
  const out: Span[] = [];
  let i = from;
  while (i < to) {
    const s = extent(src, i, undefined, src.tokens[to]?.start ?? Infinity);
    out.push({ from: s.from, to: Math.min(s.to, to) });
    i = s.to + 1;
  }
  return out;
}

/** Spans of CREATE TABLE's elements, aligned with `tableElts`; undefined when they do not align. */
export function tableElementSpans(stmt: Statement): Span[] | undefined {
  const a = stmt.ast;
  const src = sourceOf(stmt);
  const open = afterName(src, a.relation?.location);
  if (src.tokens[open]?.text !== '(') return undefined;
  const close = matchParen(src, open);
  if (close < 0) return undefined;
  const spans = splitList(src, open + 1, close);
  return spans.length === (a.tableElts ?? []).length ? spans : undefined;
}

/** Spans of ALTER TABLE's subcommands, aligned with `cmds`; undefined when they do not align. */
export function alterCmdSpans(stmt: Statement): Span[] | undefined {
  const a = stmt.ast;
  const src = sourceOf(stmt);
  const from = afterName(src, a.relation?.location);
  const spans = splitList(src, from, src.tokens.length);
  return spans.length === (a.cmds ?? []).length ? spans : undefined;
}

/** Text and names of the tokens of a span, for the callers that keep whole clauses. */
export function spanPiece(stmt: Statement, span: Span): Piece | undefined {
  return piece(sourceOf(stmt), span);
}

export interface ColumnPieces {
  typeSql?: string;
  serial?: string;
  defaultText?: string;
  collation?: string;
  /** `GENERATED … AS IDENTITY …` as written. */
  identityText?: string;
  /** `GENERATED ALWAYS AS (…) STORED` as written. */
  generated?: Piece;
  /** Table-level definitions of the column's own constraints, by constraint node. */
  constraints: Map<Ast, Piece | undefined>;
}

const ATTR = /^CONSTR_ATTR_/;

/** The pieces of a column definition whose tokens are `span` (undefined: types only). */
export function columnPieces(stmt: Statement, def: Ast, span: Span | undefined): ColumnPieces {
  const out: ColumnPieces = {
    typeSql: typeSql(def.typeName),
    serial: serialKind(def.typeName),
    constraints: new Map(),
  };
  const cons: Ast[] = (def.constraints ?? []).map((c: Ast) => c.Constraint).filter(Boolean);
  if (!span) {
    for (const c of cons) out.constraints.set(c, undefined);
    return out;
  }
  const src = sourceOf(stmt);
  const end = span.to;
  // where each clause starts: constraints (attributes like DEFERRABLE belong to the one before)
  // and COLLATE
  const starts: Array<{ at: number; con?: Ast }> = [];
  for (const c of cons)
    if (!ATTR.test(c.contype)) starts.push({ at: tokenAt(src, src.rel(c.location)), con: c });
  if (def.collClause) starts.push({ at: tokenAt(src, src.rel(def.collClause.location)) });
  starts.sort((x, y) => x.at - y.at);
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k].at;
    const to = Math.min(k + 1 < starts.length ? starts[k + 1].at : end, end);
    const con = starts[k].con;
    if (!con) {
      out.collation = spanText(src, { from: from + 1, to });
      continue;
    }
    const body = skipConstraintName(src, from);
    switch (con.contype) {
      case 'CONSTR_DEFAULT':
        if (src.tokens[body]?.keyword === 'DEFAULT')
          out.defaultText = spanText(src, { from: body + 1, to }) || undefined;
        break;
      case 'CONSTR_IDENTITY':
        out.identityText = spanText(src, { from: body, to });
        break;
      case 'CONSTR_GENERATED':
        out.generated = piece(src, { from: body, to });
        break;
      default:
        out.constraints.set(con, columnConstraintPiece(src, con, def.colname, { from: body, to }));
    }
  }
  return out;
}

/** A column constraint rewritten in its table-level form (`UNIQUE` → `UNIQUE (col)`). */
function columnConstraintPiece(
  src: StmtSource,
  con: Ast,
  column: string,
  span: Span,
): Piece | undefined {
  const p = piece(src, span);
  if (!p) return undefined;
  const col = `(${quoteIdent(column)})`;
  const names = [...p.names, column];
  switch (con.contype) {
    case 'CONSTR_CHECK':
      return p;
    case 'CONSTR_FOREIGN':
      return { text: `FOREIGN KEY ${col} ${p.text}`, names };
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE': {
      // the column list goes after PRIMARY KEY / UNIQUE [NULLS [NOT] DISTINCT]
      let i = span.from + (con.contype === 'CONSTR_PRIMARY' ? 2 : 1);
      if (src.tokens[i]?.keyword === 'NULLS') i += src.tokens[i + 1]?.keyword === 'NOT' ? 3 : 2;
      const head = spanText(src, { from: span.from, to: i });
      const rest = spanText(src, { from: i, to: span.to });
      return { text: `${head} ${col}${rest ? ` ${rest}` : ''}`, names };
    }
    default:
      return undefined;
  }
}

/** A table-level constraint (CREATE TABLE element or ADD CONSTRAINT) without name and NOT VALID. */
export function tableConstraintPiece(stmt: Statement, con: Ast, span: Span): Piece | undefined {
  const src = sourceOf(stmt);
  let from = span.from;
  if (src.tokens[from]?.keyword === 'ADD') from++;
  from = skipConstraintName(src, from);
  const body = trimTrailing(src, { from, to: span.to }, ['NOT', 'VALID']);
  // ADD CONSTRAINT … USING INDEX takes over an index: its definition is the index's
  if (con.indexname) return undefined;
  return piece(src, body);
}

/**
 * What follows the table in CREATE INDEX (`USING gin (lower(a)) WHERE …`), so the index can be
 * recreated on the table under its current name.
 */
export function indexTail(stmt: Statement): Piece | undefined {
  const src = sourceOf(stmt);
  const from = afterName(src, stmt.ast.relation?.location);
  return piece(src, { from, to: src.tokens.length });
}

/** The expression of `ALTER COLUMN … SET DEFAULT expr` in a subcommand's span. */
export function setDefaultText(stmt: Statement, span: Span): string | undefined {
  const src = sourceOf(stmt);
  const at = findKeyword(src, span.from, 'DEFAULT', span.to);
  if (at < 0) return undefined;
  return spanText(src, { from: at + 1, to: span.to }) || undefined;
}

/** `USING expr` of ALTER COLUMN … TYPE, as written. */
export function usingText(stmt: Statement, span: Span): string | undefined {
  const src = sourceOf(stmt);
  const at = findKeyword(src, span.from, 'USING', span.to);
  return at < 0 ? undefined : spanText(src, { from: at + 1, to: span.to }) || undefined;
}

/**
 * The statement's text from its first token to the end, with `CREATE` (and an `OR REPLACE`) taken
 * off: `FUNCTION f() …`, `VIEW v AS …`. Callers put back the verb they need.
 */
export function afterCreate(stmt: Statement): Piece | undefined {
  const src = sourceOf(stmt);
  let i = 0;
  if (src.tokens[i]?.keyword !== 'CREATE') return undefined;
  i++;
  if (src.tokens[i]?.keyword === 'OR' && src.tokens[i + 1]?.keyword === 'REPLACE') i += 2;
  return piece(src, { from: i, to: src.tokens.length });
}

/** The source between two keywords at depth 0 (e.g. COMMENT ON <object> IS). */
export function between(stmt: Statement, fromKw: string, toKw: string): string | undefined {
  const src = sourceOf(stmt);
  const a = findKeyword(src, 0, fromKw);
  if (a < 0) return undefined;
  let depth = 0;
  for (let i = a + 1; i < src.tokens.length; i++) {
    const t = src.tokens[i].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (depth === 0 && src.tokens[i].keyword === toKw)
      return spanText(src, { from: a + 1, to: i });
  }
  return undefined;
}

/**
 * What follows the column list of CREATE TABLE (`PARTITION BY …`, `WITH (…)`), or for a partition
 * or typed table everything after its name (`PARTITION OF p FOR VALUES …`).
 */
export function tableTail(stmt: Statement): Piece | undefined {
  const src = sourceOf(stmt);
  const at = afterName(src, stmt.ast.relation?.location);
  if (src.tokens[at]?.text !== '(' || stmt.ast.partbound || stmt.ast.ofTypename)
    return piece(src, { from: at, to: src.tokens.length });
  const close = matchParen(src, at);
  return close < 0 ? undefined : piece(src, { from: close + 1, to: src.tokens.length });
}

/** The tokens of a subcommand from its first keyword `kw` on (`GENERATED … AS IDENTITY …`). */
export function fromKeyword(stmt: Statement, span: Span, kw: string): string | undefined {
  const src = sourceOf(stmt);
  const at = findKeyword(src, span.from, kw, span.to);
  return at < 0 ? undefined : spanText(src, { from: at, to: span.to }) || undefined;
}
