/**
 * running-statement-while-holding-access-exclusive: PostgreSQL keeps every lock until the
 * transaction ends. After a statement takes ACCESS EXCLUSIVE on an existing table, a later
 * statement in the same transaction that does work proportional to some table's size (a scan, a
 * rewrite, an index build, an update of every row, a bulk copy) keeps that table unreadable for
 * its whole duration — even when the later statement works on another table. Only slow work is
 * reported: instant catalog changes after the lock cost nothing worth a finding. A statement that
 * itself locks the held table against traffic (and works on it) is left to its own rule, as are full-table
 * data changes (require-batched-data-change) and validating a constraint added NOT VALID in the
 * same transaction (require-separate-constraint-validation): their findings name the held lock.
 */
import { disableForLine } from '../linter/fixes';
import {
  firstInTransaction,
  reportedInTransaction,
  forgetTransactionReports,
  heldAccessExclusive,
  listNames,
  lockedTable,
  moveRestOfSectionFix,
  ownAccessExclusive,
  whereLocksWereTaken,
} from '../linter/lockWindow';
import { blocksTraffic, tableLocks } from '../linter/statementFacts';
import { slowWork, wholeTableChange } from '../linter/slowWork';
import { validatesOwnNotValid } from '../linter/sameTransaction';
import type { Rule } from '../linter/types';

export const rule: Rule = {
  id: 'running-statement-while-holding-access-exclusive',
  summary:
    'Slow work after an ACCESS EXCLUSIVE lock in the same transaction keeps that table blocked for reads and writes.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  checkSection(ctx) {
    forgetTransactionReports(ctx.section, this.id);
  },
  check(ctx) {
    const held = heldAccessExclusive(ctx);
    // once per transaction: the rest of it is not looked at again
    if (held.size === 0 || reportedInTransaction(ctx, this.id)) return;
    const work = slowWork(ctx);
    if (!work) return;
    // their own rules say it, held lock included
    if (wholeTableChange(ctx) || validatesOwnNotValid(ctx)) return;
    // a held table the statement itself locks against traffic is blocked by the statement anyway
    const ownBlocking = new Set(
      tableLocks(ctx.stmt)
        .filter((l) => blocksTraffic(l.mode))
        .map((l) => lockedTable(ctx, ctx.stmt, l.table)),
    );
    const own = new Set(ownAccessExclusive(ctx));
    const blocked = [...held].filter(
      ([t]) => !own.has(t) && !(t === work.table && ownBlocking.has(t)),
    );
    if (blocked.length === 0) return;
    if (!firstInTransaction(ctx, this.id)) return;
    const { stmt, file } = ctx;
    const tables = listNames(blocked.map(([t]) => t));
    const first = blocked[0][1];
    const line = file.index.lineAt(first.start) + 1;
    const fix = moveRestOfSectionFix(ctx);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `This statement ${work.description} while the transaction still holds the ACCESS EXCLUSIVE lock on ${tables} taken on line ${line}: reads and writes of ${tables} stay blocked until it finishes and the transaction commits.`,
      help: 'Commit right after the statement that takes ACCESS EXCLUSIVE and run the slow work in a transaction of its own (a migration of its own when the runner wraps each migration in one). Reported once per transaction, at the first such statement: later ones stretch the same outage.',
      related: whereLocksWereTaken(file, blocked),
      fixes: [...(fix ? [fix] : []), disableForLine(file, stmt.start, this.id)],
    });
  },
};
