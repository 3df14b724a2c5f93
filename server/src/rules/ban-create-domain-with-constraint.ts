/**
 * ban-create-domain-with-constraint: a domain's CHECK or NOT NULL constraint is hard to change
 * online (ALTER DOMAIN … ADD CONSTRAINT checks every column of every table that uses the domain,
 * blocking writes to them while it scans), and a domain's NOT NULL is not enforced on every path
 * (an outer join or a composite value can still produce NULL). Table constraints do not have these
 * problems. Style: info. A DOWN recreating a dropped domain is not judged.
 */
import { listName } from '../parser/ast';
import type { Ast } from '../parser/parse';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'ban-create-domain-with-constraint',
  summary:
    'A domain with CHECK or NOT NULL constraints is hard to change online; use table constraints.',
  defaultSeverity: 'info',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'CreateDomainStmt' || ctx.section.kind === 'down') return;
    const cons: Ast[] = (stmt.ast.constraints ?? [])
      .map((c: Ast) => c.Constraint)
      .filter((c: Ast) => c?.contype === 'CONSTR_CHECK' || c?.contype === 'CONSTR_NOTNULL');
    if (cons.length === 0) return;
    const first = Math.min(...cons.map((c) => stmt.offsetOf(c.location)));
    const kinds = [
      ...new Set(cons.map((c) => (c.contype === 'CONSTR_CHECK' ? 'CHECK' : 'NOT NULL'))),
    ];
    ctx.report(this.id, {
      start: first >= stmt.start && first < stmt.end ? first : stmt.start,
      end: stmt.end,
      message: `Domain ${listName(stmt.ast.domainname).name} has ${kinds.join(' and ')} constraints: changing them later (ALTER DOMAIN … ADD CONSTRAINT) scans every column of every table using the domain and blocks writes to them meanwhile${kinds.includes('NOT NULL') ? ", and a domain's NOT NULL does not stop NULLs from outer joins or composite values" : ''}.`,
      help: 'Declare the domain without constraints and put CHECK / NOT NULL on the table columns that use it.',
      fixes: [ctx.disableForLine(stmt.start, this.id)],
    });
  },
};
