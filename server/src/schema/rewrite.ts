/**
 * Renames inside kept SQL: after `RENAME COLUMN a TO b`, a kept `CHECK (a > 0)` becomes
 * `CHECK (b > 0)`, as PostgreSQL itself shows it (it stores column numbers, not names). Only
 * identifiers are touched: not function names (followed by `(`), not type names (after `::`), not
 * string literals.
 */
import { quoteIdent } from '../parser/ast';
import { scannerLikeTokens } from '../parser/lexer';
import type { Piece } from './definitions';

function identValue(text: string): string | undefined {
  if (text.startsWith('"')) return text.slice(1, -1).replace(/""/g, '"');
  if (/^[A-Za-z_][\w$]*$/.test(text)) return text.toLowerCase();
  return undefined;
}

/**
 * `text` with identifiers equal to `from` written as `to`. `part` limits the change to the text
 * before a top-level REFERENCES (a foreign key's own columns) or after it (the referenced table
 * and columns).
 */
export function renameIdent(
  text: string,
  from: string,
  to: string,
  part: 'all' | 'own' | 'referenced' = 'all',
): string {
  const tokens = scannerLikeTokens(text, 0, text.length);
  let refAt = text.length;
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.keyword === 'REFERENCES') {
      refAt = t.start;
      break;
    }
  }
  let out = '';
  let at = 0;
  tokens.forEach((t, i) => {
    if (part === 'own' && t.start >= refAt) return;
    if (part === 'referenced' && t.start < refAt) return;
    if (t.name !== 'IDENT' && !t.keyword) return;
    if (identValue(t.text) !== from) return;
    if (tokens[i + 1]?.text === '(' && part !== 'referenced') return;
    if (tokens[i - 1]?.name === 'TYPECAST') return;
    out += text.slice(at, t.start) + quoteIdent(to);
    at = t.end;
  });
  return at === 0 ? text : out + text.slice(at);
}

export function renameInPiece(
  p: Piece | undefined,
  from: string,
  to: string,
  part: 'all' | 'own' | 'referenced' = 'all',
): Piece | undefined {
  if (!p || !p.names.includes(from)) return p;
  const text = renameIdent(p.text, from, to, part);
  if (text === p.text) return p;
  // the old name may still be used for something else: keep it (a superset is harmless)
  return { text, names: p.names.includes(to) ? p.names : [...p.names, to] };
}
