/**
 * require-statement-timeout: a statement that does work proportional to a table's size (scan,
 * rewrite, index build, full-table update, copy) while holding a lock that blocks the
 * application — its own, or an ACCESS EXCLUSIVE one the transaction took earlier — with no
 * statement_timeout set. On a table larger than expected it blocks traffic for minutes instead of
 * failing after a bounded time. Unlike squawk, instant catalog changes are not reported:
 * lock_timeout (require-lock-timeout) is what bounds their wait, and the work itself is instant.
 * Opt-in: every statement it reports already has a finding of its own with the online rewrite,
 * and the right timeout depends on table sizes only the team knows.
 */
import { heldAccessExclusive, lockedTable } from '../linter/lockWindow';
import { setSettingFix } from '../linter/settingFix';
import { slowWork } from '../linter/slowWork';
import { blocksTraffic, lockBlocks, tableLocks, type LockMode } from '../linter/statementFacts';
import type { Rule, StatementContext } from '../linter/types';

const TIMEOUT = "'5s'";

export const rule: Rule = {
  id: 'require-statement-timeout',
  summary: 'Slow work under a lock that blocks traffic runs with no statement_timeout to bound it.',
  defaultSeverity: 'warning',
  weighedBySize: true,
  optIn: true,
  check(ctx) {
    // kept up to date for every statement: the window is judged in order
    const held = heldAccessExclusive(ctx);
    if (ctx.session.statementTimeout === 'set') return;
    const work = slowWork(ctx);
    if (!work) return;
    const blocking = blockingLock(ctx) ?? (held.size > 0 ? 'ACCESS EXCLUSIVE' : undefined);
    if (!blocking) return;
    const { stmt } = ctx;
    const disabled = ctx.session.statementTimeout === 'disabled';
    const fix = setSettingFix(ctx, {
      name: 'statement_timeout',
      value: TIMEOUT,
      narrowAroundLongStatements: true,
    });
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `This statement ${work.description} under ${blocking === 'ACCESS EXCLUSIVE' ? 'an' : 'a'} ${blocking} lock (blocking ${lockBlocks(blocking)}) with ${disabled ? 'statement_timeout disabled' : 'no statement_timeout set'}: on a large table it blocks traffic for as long as the work takes.`,
      help: `Set a statement_timeout before it (SET LOCAL statement_timeout = ${TIMEOUT} inside a transaction) so the migration fails and rolls back instead of blocking traffic; then do the work the online way (CONCURRENTLY, NOT VALID + VALIDATE, batches).`,
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

/** The strongest traffic-blocking lock the statement takes on an existing table, if any. */
function blockingLock(ctx: StatementContext): LockMode | undefined {
  let best: LockMode | undefined;
  for (const l of tableLocks(ctx.stmt)) {
    const table = lockedTable(ctx, ctx.stmt, l.table);
    if (!blocksTraffic(l.mode) || ctx.isNewTable(table)) continue;
    if (!best || l.mode === 'ACCESS EXCLUSIVE') best = l.mode;
  }
  return best;
}
