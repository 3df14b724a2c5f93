/**
 * identifier-too-long: PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and
 * drops the rest with only a NOTICE. Two long names that share their first 63 bytes then collide,
 * and tools that compare the name they wrote with the one stored (ORMs, schema diffs, the next
 * migration's DROP … IF EXISTS in another tool) see a different name. The fix writes the name
 * PostgreSQL stores. Style: info.
 */
import { memoByTree } from '../parser/treeMemo';
import type { Statement } from '../parser/parse';
import { statementLightTokens } from '../parser/lexer';
import { byteLength } from '../text/positions';
import { disableForLine } from '../linter/fixes';
import type { Rule } from '../linter/types';

const MAX_BYTES = 63;

export const rule: Rule = {
  id: 'identifier-too-long',
  summary: 'PostgreSQL truncates identifiers longer than 63 bytes, silently.',
  defaultSeverity: 'info',
  check(ctx) {
    const { stmt } = ctx;
    if (!mayHoldLongName(stmt)) return;
    const { file } = ctx;
    const tokens = statementLightTokens(file.text, stmt);
    tokens.forEach((t, i) => {
      const value = identifierValue(t.text);
      if (value === undefined || byteLength(value) <= MAX_BYTES) return;
      // U&"…" spells its value with escapes: reported, not rewritten
      const unicode =
        t.text.startsWith('"') &&
        tokens[i - 1]?.text === '&' &&
        /^u$/i.test(tokens[i - 2]?.text ?? '');
      const truncated = truncate(value);
      const written = t.text.startsWith('"') ? `"${truncated.replace(/"/g, '""')}"` : truncated;
      ctx.report(this.id, {
        start: unicode ? tokens[i - 2].start : t.start,
        end: t.end,
        message: `${value.slice(0, 40)}… is ${byteLength(value)} bytes long: PostgreSQL keeps only the first ${MAX_BYTES} bytes (${truncated}).`,
        help: 'Use a shorter name; the fix writes the name PostgreSQL stores.',
        fixes: [
          ...(unicode
            ? []
            : [
                {
                  title: `Rename to ${written}`,
                  preferred: true,
                  edits: [{ file: file.path, start: t.start, end: t.end, newText: written }],
                },
              ]),
          disableForLine(file, stmt.start, this.id),
        ],
      });
    });
  },
};

/**
 * Cheap test before tokenizing: a run of identifier text long enough to pass 63 bytes. In ASCII
 * that takes 64 characters; a non-ASCII character takes at most 4 UTF-8 bytes for 2 UTF-16 units.
 */
const mayHoldLongName = memoByTree(({ text }: Statement): boolean => {
  if (/[^\x00-\x7f]/.test(text)) return /(?:[A-Za-z0-9_$]|\P{ASCII}){16,}|"[^"]{16,}/u.test(text);
  return /[A-Za-z0-9_$]{64,}|"(?:[^"]|""){64,}/.test(text);
});

/**
 * The identifier a token spells: a quoted name without its quotes, a bare word (case-folded
 * later by PostgreSQL, which does not change its byte length); undefined for anything else.
 */
function identifierValue(text: string): string | undefined {
  if (text.startsWith('"'))
    return text.length >= 2 ? text.slice(1, -1).replace(/""/g, '"') : undefined;
  return /^(?:[A-Za-z_]|\P{ASCII})(?:[A-Za-z0-9_$]|\P{ASCII})*$/u.test(text) ? text : undefined;
}

/** The first 63 bytes, cut at a character boundary as PostgreSQL's pg_mbcliplen does. */
function truncate(value: string): string {
  let out = '';
  for (const ch of value) {
    if (byteLength(out + ch) > MAX_BYTES) break;
    out += ch;
  }
  return out;
}
