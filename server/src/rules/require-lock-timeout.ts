/**
 * require-lock-timeout: a statement that takes a lock blocking reads or writes on an existing
 * table, with no lock_timeout set. While it waits for the lock (behind any long transaction that
 * touched the table), every later query on the table queues behind it, so a migration that cannot
 * get its lock takes the application down with it. A lock_timeout makes it fail fast instead.
 */
import type { Section } from '../folder/model';
import type { Statement } from '../parser/parse';
import { insert } from '../linter/fixes';
import {
  blocksTraffic,
  isNonTransactional,
  lockBlocks,
  tableLocks,
} from '../linter/statementFacts';
import type { TableLock } from '../linter/statementFacts';
import { lineBreakOf } from '../text/positions';
import type { Fix, Rule, StatementContext } from '../linter/types';
import { shortName } from '../linter/lockWindow';

const TIMEOUT = "'2s'";

export const rule: Rule = {
  id: 'require-lock-timeout',
  summary: 'A lock that blocks traffic is requested with no lock_timeout set.',
  defaultSeverity: 'warning',
  weighedBySize: true,
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
      fixes: [...(fix ? [fix] : []), ctx.disableForLine(stmt.start, this.id)],
    });
  },
};

/** DROP INDEX locks the index's table, which statementFacts reports under the index name. */
function lockedTable(ctx: StatementContext, stmt: Statement, lock: TableLock): string {
  if (stmt.kind !== 'DropStmt' || stmt.ast.removeType !== 'OBJECT_INDEX') return lock.table;
  const index = ctx.catalog.indexes.get(lock.table);
  return index ? `${index.schema}.${index.table}` : lock.table;
}

/** Facts about a whole section, computed once: every statement of a long file asks for them. */
const sectionFacts = new WeakMap<
  Section,
  { nonTransactional: boolean; hasTxControl: boolean; touchesTimeout: boolean }
>();

function factsOf(section: Section) {
  let f = sectionFacts.get(section);
  if (!f) {
    const statements = section.parsed.statements;
    f = {
      nonTransactional: statements.some((s) => isNonTransactional(s)),
      hasTxControl: statements.some((s) => s.kind === 'TransactionStmt'),
      touchesTimeout: statements.some(touchesLockTimeout),
    };
    sectionFacts.set(section, f);
  }
  return f;
}

/**
 * One fix for the whole section, so applying it clears every violation of the section: SET LOCAL
 * only when the runner's transaction covers every statement (SET LOCAL outside a transaction
 * block does nothing), else SET at the start and RESET at the end. When the section itself
 * changes lock_timeout later on, a SET at the start would not last: the SET goes right before
 * the statement instead.
 */
function setTimeoutFix(ctx: StatementContext): Fix | undefined {
  const { section, file, stmt } = ctx;
  const statements = section.parsed.statements;
  const facts = factsOf(section);
  // SET/RESET make a lone statement a multi-statement string, which runs in a transaction block;
  // in Flyway they make a non-transactional migration a mixed one, which Flyway refuses
  if (
    (section.transaction === 'single-query' || section.transaction === 'auto') &&
    facts.nonTransactional
  )
    return undefined;
  const hasTxControl = facts.hasTxControl;
  const local = !hasTxControl && ctx.tx.inTransaction && !ctx.tx.explicit;
  const nl = lineBreakOf(file.text);
  const set = `SET${local ? ' LOCAL' : ''} lock_timeout = ${TIMEOUT};`;
  if (facts.touchesTimeout) {
    const ls = file.index.lineStart(file.index.lineAt(stmt.start));
    const own = /^[ \t]*$/.test(file.text.slice(ls, stmt.start));
    const indent = own ? file.text.slice(ls, stmt.start) : '';
    const edits = [insert(file, own ? ls : stmt.start, own ? `${indent}${set}${nl}` : `${set} `)];
    if (!local)
      edits.push(
        insert(
          file,
          stmt.terminatorEnd,
          `${terminator(ctx, stmt)}${nl}${indent}RESET lock_timeout;`,
        ),
      );
    return {
      title: local
        ? `Add SET LOCAL lock_timeout = ${TIMEOUT} before the statement`
        : `Add SET lock_timeout = ${TIMEOUT} before the statement and RESET it after`,
      preferred: true,
      edits,
    };
  }
  const at = section.start;
  const lead = section.marker && at === section.marker.end ? nl : '';
  const edits = [insert(file, at, `${lead}${set}${nl}`)];
  if (!local) {
    const last = statements[statements.length - 1];
    edits.push(
      insert(file, last.terminatorEnd, `${terminator(ctx, last)}${nl}RESET lock_timeout;`),
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

/** A semicolon when the statement has none, so that text can follow it. */
function terminator(ctx: StatementContext, s: Statement): string {
  return ctx.file.text[s.terminatorEnd - 1] === ';' ? '' : ';';
}

/** SET/RESET lock_timeout and RESET ALL: they change what an earlier SET established. */
function touchesLockTimeout(s: Statement): boolean {
  return (
    s.kind === 'VariableSetStmt' &&
    (s.ast.name === 'lock_timeout' || s.ast.kind === 'VAR_RESET_ALL')
  );
}
