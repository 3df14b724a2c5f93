/**
 * require-lock-timeout: a statement that takes a lock blocking reads or writes on an existing
 * table, with no lock_timeout set. While it waits for the lock (behind any long transaction that
 * touched the table), every later query on the table queues behind it, so a migration that cannot
 * get its lock takes the application down with it. A lock_timeout makes it fail fast instead.
 */
import type { Statement } from '../parser/parse';
import { disableForLine, insert } from '../linter/fixes';
import {
  blocksTraffic,
  isNonTransactional,
  lockBlocks,
  tableLocks,
} from '../linter/statementFacts';
import type { TableLock } from '../linter/statementFacts';
import { lineBreakOf } from '../text/positions';
import type { Fix, Rule, StatementContext } from '../linter/types';

const TIMEOUT = "'2s'";

export const rule: Rule = {
  id: 'require-lock-timeout',
  summary: 'A lock that blocks traffic is requested with no lock_timeout set.',
  defaultSeverity: 'warning',
  check(ctx) {
    if (ctx.session.lockTimeout === 'set') return;
    const { stmt } = ctx;
    const locks = tableLocks(stmt)
      .map((l) => ({ ...l, table: lockedTable(ctx, stmt, l) }))
      .filter((l) => blocksTraffic(l.mode) && !ctx.isNewTable(l.table));
    if (locks.length === 0) return;
    const what = locks.map((l) => `${l.mode} lock on ${shortName(l.table)}`).join(' and ');
    const tables = locks.map((l) => shortName(l.table)).join(' and ');
    const disabled = ctx.session.lockTimeout === 'disabled';
    const fix = setTimeoutFix(ctx);
    ctx.report(this.id, {
      start: stmt.start,
      end: stmt.end,
      message: `This statement takes ${/^[AEIOU]/.test(what) ? 'an' : 'a'} ${what} with ${disabled ? 'lock_timeout disabled' : 'no lock_timeout set'}: while it waits for the lock, every query on ${tables} queues behind it (the lock blocks ${lockBlocks(locks[0].mode)}).`,
      help: `Set a lock_timeout before it (SET LOCAL lock_timeout = ${TIMEOUT} inside a transaction) so the migration fails fast and can be retried instead of stalling traffic.`,
      fixes: [...(fix ? [fix] : []), disableForLine(ctx.file, stmt.start, this.id)],
    });
  },
};

/** DROP INDEX locks the index's table, which statementFacts reports under the index name. */
function lockedTable(ctx: StatementContext, stmt: Statement, lock: TableLock): string {
  if (stmt.kind !== 'DropStmt' || stmt.ast.removeType !== 'OBJECT_INDEX') return lock.table;
  const index = ctx.catalog.indexes.get(lock.table);
  return index ? `${index.schema}.${index.table}` : lock.table;
}

function shortName(key: string): string {
  return key.startsWith('public.') ? key.slice('public.'.length) : key;
}

/**
 * One fix for the whole section, so applying it clears every violation of the section: SET LOCAL
 * only when the runner's transaction covers every statement (SET LOCAL outside a transaction
 * block does nothing), else SET at the start and RESET at the end.
 */
function setTimeoutFix(ctx: StatementContext): Fix | undefined {
  const { section, file } = ctx;
  const statements = section.parsed.statements;
  // SET/RESET make a lone statement a multi-statement string, which runs in a transaction block
  if (section.transaction === 'single-query' && statements.some((s) => isNonTransactional(s)))
    return undefined;
  const hasTxControl = statements.some((s) => s.kind === 'TransactionStmt');
  const local = !hasTxControl && ctx.tx.inTransaction && !ctx.tx.explicit;
  const nl = lineBreakOf(file.text);
  const at = section.start;
  const lead = section.marker && at === section.marker.end ? nl : '';
  const set = `${lead}SET${local ? ' LOCAL' : ''} lock_timeout = ${TIMEOUT};${nl}`;
  const edits = [insert(file, at, set)];
  if (!local) {
    const last = statements[statements.length - 1];
    const terminated = file.text[last.terminatorEnd - 1] === ';';
    edits.push(
      insert(file, last.terminatorEnd, `${terminated ? '' : ';'}${nl}RESET lock_timeout;`),
    );
  }
  return {
    title: local
      ? `Add SET LOCAL lock_timeout = ${TIMEOUT} at the start of the section`
      : `Add SET lock_timeout = ${TIMEOUT} at the start of the section and RESET it at the end`,
    preferred: true,
    edits,
  };
}
