/**
 * require-idle-in-transaction-timeout (opt-in): a runner that sends a transaction's statements one
 * at a time keeps the transaction open between them. If it stalls or loses its connection without
 * the server noticing (a network partition, a paused process), the transaction sits "idle in
 * transaction" holding every lock taken so far — for hours, until TCP keepalive gives up — and the
 * tables it locked stay blocked. idle_in_transaction_session_timeout makes the server end such a
 * session. Reported once per section, at the first statement that takes a lock blocking traffic
 * on an existing table, when the setting is not in force. A multi-statement query string
 * (golang-migrate, Prisma) is not reported: the server runs it without waiting for the client.
 */
import { lockedTable, shortName } from '../linter/lockWindow';
import { setSettingFix, settingInForce } from '../linter/settingFix';
import { blocksTraffic, lockBlocks, tableLocks } from '../linter/statementFacts';
import type { Section } from '../folder/model';
import type { Rule } from '../linter/types';

const SETTING = 'idle_in_transaction_session_timeout';
const TIMEOUT = "'10s'";

/** Sections already reported (or found protected): one finding per section. */
const done = new WeakSet<Section>();

export const rule: Rule = {
  id: 'require-idle-in-transaction-timeout',
  summary:
    'A transaction holding locks that block traffic has no idle_in_transaction_session_timeout if the runner stalls.',
  defaultSeverity: 'warning',
  optIn: true,
  checkSection(ctx) {
    done.delete(ctx.section);
  },
  check(ctx) {
    const { section, stmt } = ctx;
    if (done.has(section) || !ctx.tx.inTransaction) return;
    if (section.transaction === 'single-query' && !ctx.tx.explicit) return;
    if (section.parsed.statements.length < 2) return;
    const lock = tableLocks(stmt).find(
      (l) => blocksTraffic(l.mode) && !ctx.isNewTable(lockedTable(ctx, stmt, l.table)),
    );
    if (!lock) return;
    done.add(section);
    if (settingInForce(ctx, SETTING)) return;
    const table = shortName(lockedTable(ctx, stmt, lock.table));
    const fix = setSettingFix(ctx, { name: SETTING, value: TIMEOUT });
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `From here the transaction holds ${/^[AEIOU]/.test(lock.mode) ? 'an' : 'a'} ${lock.mode} lock on ${table} (blocking ${lockBlocks(lock.mode)}) with no ${SETTING}: if the runner stalls or loses its connection before COMMIT, the lock stays held until the server notices the session is gone.`,
      help: `Set ${SETTING} (SET LOCAL ${SETTING} = ${TIMEOUT} inside the runner's transaction) so PostgreSQL ends a session that sits idle in the transaction, releasing its locks.`,
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};
