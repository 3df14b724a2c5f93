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
  moveRestOfSectionFix,
  ownAccessExclusive,
  whereLocksWereTaken,
} from '../linter/lockWindow';
import type { Rule } from '../linter/types';

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
    const fix = moveRestOfSectionFix(ctx);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `This statement takes ACCESS EXCLUSIVE on ${listNames(added)} while the transaction already holds it on ${listNames(before)} (line ${line}): while it waits for its lock, reads and writes of ${listNames(before)} are blocked too${ctx.session.lockTimeout === 'set' ? ' (for up to lock_timeout)' : ', with no lock_timeout to end the wait'}.`,
      help: 'Change one table per transaction (a migration of its own when the runner wraps each migration in one), or keep the set of tables small and set a short lock_timeout. Reported once per transaction, at the second table.',
      related: whereLocksWereTaken(file, held),
      fixes: [...(fix ? [fix] : []), disableForLine(file, stmt.start, this.id)],
    });
  },
};
