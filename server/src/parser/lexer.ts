/**
 * A light lexer for finding clause boundaries (commas, parentheses, names) inside one statement
 * that PostgreSQL's parser has already accepted. It only needs token boundaries, not token kinds,
 * so it is a fraction of the cost of libpg-query's scanner, whose JSON output dominated lint time
 * when every ALTER TABLE subcommand had to be located. Where a keyword decides an edit (inserting
 * CONCURRENTLY) the real scanner is still used (parse.ts statementTokens).
 */
import { PG_KEYWORDS } from './keywords';
import { isIdentChar, isIdentStart, skipTrivia } from './split';
import { memoByTree } from './treeMemo';
import type { Statement, Token } from './parse';

export interface LightToken {
  /** UTF-16 offsets in the text. */
  start: number;
  end: number;
  text: string;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// PostgreSQL's operator characters: a run of them is one operator token
const OPERATOR_CHARS = new Set('+-*/<>=~!@#%^&|`?'.split('').map((c) => c.charCodeAt(0)));

/** A statement's tokens, offsets relative to its own text; lexed once per parse tree. */
export const relativeLightTokens = memoByTree((stmt: Statement): readonly LightToken[] =>
  lightTokens(stmt.text, 0, stmt.text.length),
);

/**
 * A statement's tokens at their place in `text` (the text it was parsed from). Lexed once per
 * parse tree; the moved copies are made per call and not kept: the callers are few and their
 * own results are kept, and copies kept for every statement an edit moves are work for the
 * garbage collector on every edit.
 */
export function statementLightTokens(text: string, stmt: Statement): LightToken[] {
  if (!text.startsWith(stmt.text, stmt.start)) return lightTokens(text, stmt.start, stmt.end);
  const base = stmt.start;
  return relativeLightTokens(stmt).map((t) => ({
    start: t.start + base,
    end: t.end + base,
    text: t.text,
  }));
}

/** Tokens of `text[from, to)`, without whitespace and comments. */
export function lightTokens(text: string, from: number, to: number): LightToken[] {
  const out: LightToken[] = [];
  let i = from;
  const push = (start: number, end: number) => {
    out.push({ start, end, text: text.slice(start, end) });
  };
  while (i < to) {
    const c = text.charCodeAt(i);
    const next = i + 1 < to ? text.charCodeAt(i + 1) : -1;
    const afterTrivia = skipTrivia(text, i, to);
    if (afterTrivia > i) {
      i = afterTrivia;
    } else if (c === 39 || ((c === 69 || c === 101) && next === 39)) {
      // '…' with '' escapes; E'…' also allows backslash escapes
      const start = i;
      const escaped = c !== 39;
      i += escaped ? 2 : 1;
      while (i < to) {
        const d = text.charCodeAt(i);
        if (escaped && d === 92) i += 2;
        else if (d === 39) {
          if (text.charCodeAt(i + 1) === 39) i += 2;
          else break;
        } else i++;
      }
      i = Math.min(i + 1, to);
      push(start, i);
    } else if (c === 34) {
      const start = i++;
      while (i < to) {
        if (text.charCodeAt(i) === 34) {
          if (text.charCodeAt(i + 1) === 34) i += 2;
          else break;
        } else i++;
      }
      i = Math.min(i + 1, to);
      push(start, i);
    } else if (c === 36 && !isDigit(next)) {
      // $tag$ … $tag$
      const start = i;
      let j = i + 1;
      while (j < to && isIdentChar(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
      if (text.charCodeAt(j) === 36) {
        const tag = text.slice(i, j + 1);
        const close = text.indexOf(tag, j + 1);
        i = close < 0 || close + tag.length > to ? to : close + tag.length;
      } else i = j;
      push(start, i);
    } else if (isIdentStart(c)) {
      const start = i++;
      while (i < to && isIdentChar(text.charCodeAt(i))) i++;
      push(start, i);
    } else if (isDigit(c) || (c === 46 && isDigit(next))) {
      const start = i++;
      while (i < to && (isIdentChar(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) {
        // 1..2 is a range in array slices, not a number
        if (text.charCodeAt(i) === 46 && text.charCodeAt(i + 1) === 46) break;
        i++;
      }
      push(start, i);
    } else if (c === 36) {
      // $1 parameter
      const start = i++;
      while (i < to && isDigit(text.charCodeAt(i))) i++;
      push(start, i);
    } else if (OPERATOR_CHARS.has(c)) {
      const start = i++;
      while (i < to && OPERATOR_CHARS.has(text.charCodeAt(i))) {
        // a comment start ends the operator
        const d = text.charCodeAt(i);
        const e = text.charCodeAt(i + 1);
        if ((d === 45 && e === 45) || (d === 47 && e === 42)) break;
        i++;
      }
      // PostgreSQL: an operator may end in + or - only if it also holds one of ~ ! @ # % ^ & | ` ?
      // (so `=-1` is `=` then `-1`)
      if (!/[~!@#%^&|`?]/.test(text.slice(start, i)))
        while (i - start > 1 && (text.charCodeAt(i - 1) === 43 || text.charCodeAt(i - 1) === 45))
          i--;
      push(start, i);
    } else if (c === 58 && next === 58) {
      push(i, i + 2);
      i += 2;
    } else {
      push(i, i + 1);
      i++;
    }
  }
  return out;
}

/** Whether the token is the bare word `upperWord` (keywords are case-insensitive, quoted are not). */
export function isWord(t: LightToken, upperWord: string): boolean {
  return t.text.length === upperWord.length && t.text.toUpperCase() === upperWord;
}

/**
 * Tokens shaped like PostgreSQL's scanner's (parse.ts `Token`: keyword, IDENT, SCONST, TYPECAST,
 * …) for the places that read clause structure from many statements, such as the schema model
 * keeping definitions as written. The corpus tier checks that they match the real scanner token
 * for token; inserting a keyword (CONCURRENTLY) still uses the real scanner.
 */
export function scannerLikeTokens(text: string, from: number, to: number): Token[] {
  return scannerLike(lightTokens(text, from, to));
}

/** Light tokens with the scanner's names and keywords. */
export function scannerLike(tokens: readonly LightToken[]): Token[] {
  return tokens.map((t) => {
    const c = t.text.charCodeAt(0);
    let keyword = '';
    let name: string;
    if (isIdentStart(c) && !(t.text.length > 1 && t.text.charCodeAt(1) === 39)) {
      const lower = t.text.toLowerCase();
      if (PG_KEYWORDS.has(lower)) {
        keyword = t.text.toUpperCase();
        name = keyword;
      } else name = 'IDENT';
    } else if (c === 34) name = 'IDENT';
    else if (c === 39 || c === 36 || isIdentStart(c)) {
      // '…', E'…', $tag$…$tag$; a lone $1 is a parameter
      name = c === 36 && isDigit(t.text.charCodeAt(1)) ? 'PARAM' : 'SCONST';
    } else if (isDigit(c) || c === 46)
      name = t.text.length > 1 || isDigit(c) ? 'ICONST' : 'ASCII_46';
    else if (t.text === '::') name = 'TYPECAST';
    else if (t.text.length === 1 && !OPERATOR_CHARS.has(c)) name = `ASCII_${c}`;
    else name = 'Op';
    return { start: t.start, end: t.end, text: t.text, keyword, name };
  });
}
