/**
 * ban-truncate-cascade: TRUNCATE … CASCADE also empties every table with a foreign key to the
 * truncated ones, and the tables referencing those, recursively, without naming them. A table
 * added later with a foreign key is silently pulled in. Name every table to truncate instead; a
 * plain TRUNCATE fails while a referencing table is left out, which is the safety net.
 */
import { qualifiedIdent, rangeVarName, relKey } from '../parser/ast';
import type { Ast } from '../parser/parse';
import type { Catalog } from '../schema/catalog';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'ban-truncate-cascade',
  summary:
    'TRUNCATE … CASCADE silently empties every table with a foreign key to these, recursively.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'TruncateStmt' || stmt.ast.behavior !== 'DROP_CASCADE') return;
    const rels = (stmt.ast.relations ?? []).map((r: Ast) => rangeVarName(r.RangeVar));
    const named = rels.map(qualifiedIdent).join(', ');
    const pulled = referencing(ctx.catalog, new Set(rels.map(relKey)));
    const known = pulled.length
      ? ` Today that includes ${pulled.map((k) => k.replace(/^public\./, '')).join(', ')}.`
      : '';
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `TRUNCATE ${named} CASCADE also empties every table with a foreign key to ${rels.length > 1 ? 'them' : 'it'}, recursively, without naming them.${known}`,
      help: 'List every table to truncate explicitly and drop CASCADE: TRUNCATE then fails if a referencing table was missed, instead of emptying it.',
      fixes: [ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

/** Tables the catalog knows to reference `roots` through foreign keys, transitively. */
function referencing(catalog: Catalog, roots: Set<string>): string[] {
  const seen = new Set(roots);
  const out: string[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const [key, t] of catalog.tables) {
      if (seen.has(key)) continue;
      for (const c of t.constraints.values())
        if (c.type === 'foreign' && c.references && seen.has(c.references)) {
          seen.add(key);
          out.push(key);
          grew = true;
          break;
        }
    }
  }
  return out;
}
