/**
 * ban-alter-domain-with-add-constraint: ALTER DOMAIN … ADD CONSTRAINT (without NOT VALID), SET NOT
 * NULL and VALIDATE CONSTRAINT check every column of every table that uses the domain, holding a
 * SHARE lock on each of those tables for the whole scan: writes to all of them wait (measured on
 * PostgreSQL 15; unlike a table's VALIDATE CONSTRAINT, a domain's takes SHARE). ADD CONSTRAINT …
 * NOT VALID takes no table lock, but only a blocking VALIDATE can prove it later. A domain created
 * earlier in the same migration is exempt: no table can use it yet.
 */
import { listName, relKey } from '../parser/ast';
import type { Rule } from '../linter/types';

const ACTIONS: Record<string, string> = {
  C: 'Adding a constraint to',
  O: 'SET NOT NULL on',
  V: 'Validating a constraint of',
};

export const rule: Rule = {
  id: 'ban-alter-domain-with-add-constraint',
  summary:
    'Adding or validating a domain constraint blocks writes to every table using the domain.',
  defaultSeverity: 'warning',
  check(ctx) {
    const { stmt } = ctx;
    if (stmt.kind !== 'AlterDomainStmt') return;
    const a = stmt.ast;
    const action = ACTIONS[a.subtype as string];
    if (!action || (a.subtype === 'C' && a.def?.Constraint?.skip_validation)) return;
    const name = listName(a.typeName);
    if (ctx.catalog.types.get(relKey(name))?.createdIn === ctx.migration.id) return;
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `${action} domain ${name.name} checks every column of every table that uses it, holding a SHARE lock on each of those tables meanwhile: writes to all of them wait until it ends.`,
      help: 'Prefer CHECK constraints on the tables (NOT VALID, then VALIDATE CONSTRAINT, which lets writes continue). A domain constraint added NOT VALID takes no table lock, but validating it later blocks writes the same way.',
      fixes: [ctx.disableForLine(stmt.start, this.id)],
    });
  },
};
