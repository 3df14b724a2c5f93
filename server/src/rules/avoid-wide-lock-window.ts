/**
 * avoid-wide-lock-window: one transaction takes ACCESS EXCLUSIVE on several existing tables. The
 * first lock is held while the next one is requested; if that request waits (behind any long
 * query on the second table), the first table stays unreadable for the whole wait, and a cycle of
 * such waits with application transactions ends in a deadlock. A lock_timeout bounds the wait
 * but not the spread: an outage of one table becomes an outage of both. Opt-in: migrations that
 * change two related tables together are common and often acceptable with a lock_timeout.
 */
import { disableForLine } from '../linter/fixes';
import {
  firstInTransaction,
  forgetTransactionReports,
  heldAccessExclusive,
  listNames,
  ownAccessExclusive,
} from '../linter/lockWindow';
import { splitSectionAt } from '../linter/splitMigration';
import type { Fix, Rule, StatementContext } from '../linter/types';

export const rule: Rule = {
  id: 'avoid-wide-lock-window',
  summary:
    'ACCESS EXCLUSIVE locks on several existing tables in one transaction block all of them while each next lock waits.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  optIn: true,
  checkSection(ctx) {
    forgetTransactionReports(ctx.section, this.id);
  },
  check(ctx) {
    const held = heldAccessExclusive(ctx);
    if (held.size === 0) return;
    const added = ownAccessExclusive(ctx).filter((t) => !held.has(t));
    if (added.length === 0) return;
    if (!firstInTransaction(ctx, this.id)) return;
    const { stmt, file } = ctx;
    const before = [...held.keys()];
    const line = file.index.lineAt([...held.values()][0].start) + 1;
    const fix = splitFix(ctx);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `This statement takes ACCESS EXCLUSIVE on ${listNames(added)} while the transaction already holds it on ${listNames(before)} (line ${line}): while it waits for its lock, reads and writes of ${listNames(before)} are blocked too${ctx.session.lockTimeout === 'set' ? ' (for up to lock_timeout)' : ', with no lock_timeout to end the wait'}.`,
      help: 'Change one table per transaction (a migration of its own when the runner wraps each migration in one), or keep the set of tables small and set a short lock_timeout. Reported once per transaction, at the second table.',
      related: [...held].map(([t, s]) => ({
        file: file.path,
        start: s.start,
        end: s.end,
        message: `ACCESS EXCLUSIVE lock on ${listNames([t])} taken here`,
      })),
      fixes: [...(fix ? [fix] : []), disableForLine(file, stmt.start, this.id)],
    });
  },
};

function splitFix(ctx: StatementContext): Fix | undefined {
  if (ctx.tx.explicit) return undefined;
  const split = splitSectionAt(ctx, ctx.position, 'continued');
  if (!split) return undefined;
  return {
    title: `Move this statement and the rest of the section to a new migration ${split.label}`,
    edits: split.edits,
  };
}
