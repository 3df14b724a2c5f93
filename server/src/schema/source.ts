/**
 * Pieces of a statement's own source text, found with scanner-like tokens (parser/lexer.ts): the schema model keeps
 * expressions (defaults, CHECK bodies, index definitions) as the author wrote them, because
 * libpg-query has no deparser and a hand-written one would be wrong more often than the source.
 */
import { memoByTree } from '../parser/treeMemo';
import { relativeLightTokens, scannerLike } from '../parser/lexer';
import type { Statement, Token } from '../parser/parse';

export interface StmtSource {
  text: string;
  /** Tokens without comments, offsets relative to `text`. */
  tokens: Token[];
  /** Offset in `text` of an AST location. */
  rel(location: number | undefined): number;
}

const cache = new WeakMap<Statement, StmtSource>();
// offsets relative to the statement: the same for the statement moved by an edit elsewhere
const tokensOf = memoByTree((stmt) => scannerLike(relativeLightTokens(stmt)));

export function sourceOf(stmt: Statement): StmtSource {
  let s = cache.get(stmt);
  if (!s) {
    s = { text: stmt.text, tokens: tokensOf(stmt), rel: (loc) => stmt.offsetOf(loc) - stmt.start };
    cache.set(stmt, s);
  }
  return s;
}

/** Index of the first token starting at or after `offset` (tokens.length when none). */
export function tokenAt(src: StmtSource, offset: number): number {
  let lo = 0;
  let hi = src.tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (src.tokens[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const OPEN = new Set(['(', '[']);
const CLOSE = new Set([')', ']']);

/** Index of the token closing the bracket opened at `open`, or -1. */
export function matchParen(src: StmtSource, open: number): number {
  let depth = 0;
  for (let i = open; i < src.tokens.length; i++) {
    const t = src.tokens[i].text;
    if (OPEN.has(t)) depth++;
    else if (CLOSE.has(t) && --depth === 0) return i;
  }
  return -1;
}

export interface Span {
  /** Token indexes, `to` exclusive. */
  from: number;
  to: number;
}

/**
 * Tokens from `from` up to the first one at bracket depth 0 that ends a list element: `,`, an
 * unmatched `)`, `;`, a keyword in `stops`, or a token at or past `limit` (an offset).
 */
export function extent(
  src: StmtSource,
  from: number,
  stops: ReadonlySet<string> = NO_STOPS,
  limit = Infinity,
): Span {
  let depth = 0;
  let i = from;
  for (; i < src.tokens.length; i++) {
    const t = src.tokens[i];
    if (t.start >= limit) break;
    if (OPEN.has(t.text)) depth++;
    else if (CLOSE.has(t.text)) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (t.text === ',' || t.text === ';')) break;
    else if (depth === 0 && i > from && t.keyword && stops.has(t.keyword)) break;
  }
  return { from, to: i };
}

const NO_STOPS: ReadonlySet<string> = new Set();

/** The source text of a token span, as written (inner comments and spacing kept). */
export function spanText(src: StmtSource, span: Span): string {
  if (span.to <= span.from) return '';
  return src.text.slice(src.tokens[span.from].start, src.tokens[span.to - 1].end);
}

/**
 * Names a span may refer to: identifiers and keywords, case-folded the way PostgreSQL folds them.
 * Used to invalidate kept text when something it may name is renamed (a superset is harmless).
 */
export function namesIn(src: StmtSource, span: Span): string[] {
  const out = new Set<string>();
  for (let i = span.from; i < span.to; i++) {
    const t = src.tokens[i];
    if (t.name === 'IDENT') out.add(identValue(t.text));
    else if (t.keyword) out.add(t.text.toLowerCase());
    else if (t.name === 'SCONST') {
      // nextval('seq_name'), regclass literals: names hide in strings too
      for (const m of t.text.matchAll(/[A-Za-z_][\w$]*/g)) out.add(m[0].toLowerCase());
    }
  }
  return [...out];
}

function identValue(text: string): string {
  if (text.startsWith('"')) return text.slice(1, -1).replace(/""/g, '"');
  if (/^u&"/i.test(text)) return text;
  return text.toLowerCase();
}

/** Index of the first token from `from` whose keyword is `kw` (upper case), or -1. */
export function findKeyword(src: StmtSource, from: number, kw: string, to = Infinity): number {
  for (let i = from; i < Math.min(to, src.tokens.length); i++)
    if (src.tokens[i].keyword === kw) return i;
  return -1;
}

/** Skips a leading `CONSTRAINT name` at token `i`. */
export function skipConstraintName(src: StmtSource, i: number): number {
  return src.tokens[i]?.keyword === 'CONSTRAINT' ? i + 2 : i;
}

/** Drops trailing tokens of a span that spell `words` (e.g. NOT VALID). */
export function trimTrailing(src: StmtSource, span: Span, words: string[]): Span {
  const n = words.length;
  if (span.to - span.from < n) return span;
  for (let k = 0; k < n; k++) if (src.tokens[span.to - n + k].keyword !== words[k]) return span;
  return { from: span.from, to: span.to - n };
}

/** A string literal PostgreSQL reads back as `value` (standard_conforming_strings on). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
