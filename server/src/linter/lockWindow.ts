/**
 * Which ACCESS EXCLUSIVE locks a transaction still holds when a statement starts. PostgreSQL keeps
 * every lock until COMMIT or ROLLBACK, so whatever runs after an ACCESS EXCLUSIVE statement in the
 * same transaction lengthens the time the application cannot even read that table. Only tables
 * that existed before the migration count: nobody else can see or wait for a new one.
 */
import type { Section, SourceFile } from '../folder/model';
import type { Statement } from '../parser/parse';
import { splitSectionAt } from './splitMigration';
import { tableLocks } from './statementFacts';
import type { Fix, RelatedInfo, StatementContext } from './types';

/** Tables (schema.name keys) the statement itself locks ACCESS EXCLUSIVE, existing ones only. */
export function ownAccessExclusive(ctx: StatementContext, stmt = ctx.stmt): string[] {
  const out: string[] = [];
  for (const l of tableLocks(stmt)) {
    if (l.mode !== 'ACCESS EXCLUSIVE') continue;
    const table = lockedTable(ctx, stmt, l.table);
    if (!ctx.isNewTable(table) && !isNewMatview(ctx, table) && !out.includes(table))
      out.push(table);
  }
  return out;
}

/** DROP INDEX locks the index's table, which tableLocks reports under the index name. */
export function lockedTable(ctx: StatementContext, stmt: Statement, key: string): string {
  if (stmt.kind !== 'DropStmt' || stmt.ast.removeType !== 'OBJECT_INDEX') return key;
  const index = ctx.catalog.indexes.get(key);
  return index ? `${index.schema}.${index.table}` : key;
}

export function isNewMatview(ctx: StatementContext, key: string): boolean {
  return ctx.catalog.matviews.get(key)?.createdIn === ctx.migration.id;
}

/**
 * The locks one transaction has taken so far, in order. They only accumulate until the
 * transaction ends, so each statement is handed a view of the first `size` of them: nothing is
 * copied, and a view handed out never changes.
 */
class LockLog {
  private readonly tables: string[] = [];
  private readonly takenBy: Statement[] = [];
  private readonly at = new Map<string, number>();
  private last: HeldLocks | undefined;

  add(table: string, by: Statement): void {
    if (this.at.has(table)) return;
    this.at.set(table, this.tables.length);
    this.tables.push(table);
    this.takenBy.push(by);
  }

  indexOf(table: string): number | undefined {
    return this.at.get(table);
  }

  entry(i: number): [string, Statement] {
    return [this.tables[i], this.takenBy[i]];
  }

  takenAt(i: number): Statement {
    return this.takenBy[i];
  }

  view(): HeldLocks {
    if (this.last?.size !== this.tables.length) this.last = new HeldLocks(this, this.tables.length);
    return this.last;
  }
}

class HeldLocks implements ReadonlyMap<string, Statement> {
  constructor(
    private readonly log: LockLog,
    readonly size: number,
  ) {}

  get(table: string): Statement | undefined {
    const i = this.log.indexOf(table);
    return i !== undefined && i < this.size ? this.log.takenAt(i) : undefined;
  }

  has(table: string): boolean {
    const i = this.log.indexOf(table);
    return i !== undefined && i < this.size;
  }

  forEach(f: (by: Statement, table: string, map: ReadonlyMap<string, Statement>) => void): void {
    for (const [t, by] of this) f(by, t, this);
  }

  *entries(): MapIterator<[string, Statement]> {
    for (let i = 0; i < this.size; i++) yield this.log.entry(i);
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.size; i++) yield this.log.entry(i)[0];
  }

  *values(): MapIterator<Statement> {
    for (let i = 0; i < this.size; i++) yield this.log.takenAt(i);
  }

  [Symbol.iterator](): MapIterator<[string, Statement]> {
    return this.entries();
  }
}

interface Window {
  /** Position of the statement `held` is for. */
  position: number;
  log: LockLog;
  held: HeldLocks;
  /** What the statement at `position` adds once it has run. */
  pending: string[];
  boundary: boolean;
}

const windows = new WeakMap<Section, Window>();

/**
 * ACCESS EXCLUSIVE locks on existing tables held when the current statement starts, each with
 * the statement that took it. Rules call this for every statement in order; the locks a statement
 * takes are judged when it is the current one (before it changes the schema model).
 */
export function heldAccessExclusive(ctx: StatementContext): ReadonlyMap<string, Statement> {
  let w = windows.get(ctx.section);
  if (w && w.position === ctx.position) return w.held;
  let log: LockLog;
  if (!w || w.position !== ctx.position - 1) {
    // not called on the previous statement: start over from what can still be judged
    log = new LockLog();
  } else {
    log = w.boundary ? new LockLog() : w.log;
    const prev = ctx.section.parsed.statements[w.position];
    for (const t of w.pending) log.add(t, prev);
  }
  if (!ctx.tx.inTransaction) log = new LockLog();
  const boundary = !ctx.tx.inTransaction || endsTransaction(ctx.stmt);
  w = {
    position: ctx.position,
    log,
    held: log.view(),
    // a table being dropped is not waited for by anyone who can still use it
    pending: boundary || dropsTables(ctx.stmt) ? [] : ownAccessExclusive(ctx),
    boundary,
  };
  windows.set(ctx.section, w);
  return w.held;
}

function dropsTables(s: Statement): boolean {
  return (
    s.kind === 'DropStmt' &&
    (s.ast.removeType === 'OBJECT_TABLE' || s.ast.removeType === 'OBJECT_MATVIEW')
  );
}

export function endsTransaction(s: Statement): boolean {
  if (s.kind !== 'TransactionStmt') return false;
  const k: string = s.ast.kind;
  return (
    k === 'TRANS_STMT_COMMIT' ||
    k === 'TRANS_STMT_ROLLBACK' ||
    k === 'TRANS_STMT_PREPARE' ||
    k === 'TRANS_STMT_COMMIT_PREPARED' ||
    k === 'TRANS_STMT_ROLLBACK_PREPARED'
  );
}

function opensOrEndsTransaction(s: Statement): boolean {
  if (s.kind !== 'TransactionStmt') return false;
  const k: string = s.ast.kind;
  return endsTransaction(s) || k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START';
}

/**
 * Index (within the section) of the first statement of the transaction the current statement
 * runs in: right after the last COMMIT/ROLLBACK or BEGIN before it, else the section start.
 * Computed once per section: long files ask for it on every statement.
 */
export function transactionStart(ctx: StatementContext): number {
  let starts = transactionStarts.get(ctx.section);
  if (!starts) {
    const statements = ctx.section.parsed.statements;
    starts = new Int32Array(statements.length);
    for (let i = 1; i < statements.length; i++)
      starts[i] = opensOrEndsTransaction(statements[i - 1]) ? i : starts[i - 1];
    transactionStarts.set(ctx.section, starts);
  }
  return starts[ctx.position] ?? 0;
}

const transactionStarts = new WeakMap<Section, Int32Array>();

/** Short display name of a table key: without `public.`. */
export function shortName(key: string): string {
  return key.startsWith('public.') ? key.slice('public.'.length) : key;
}

// a transaction can hold hundreds of locks: a message names a few, the Problems panel stays legible
const LISTED = 5;

/** How many of `n` names a message spells out (all of up to seven). */
function listed(n: number): number {
  return n > LISTED + 2 ? LISTED : n;
}

export function listNames(keys: string[]): string {
  const names = keys.slice(0, listed(keys.length)).map(shortName);
  const more = keys.length - names.length;
  if (more > 0) return `${names.join(', ')} and ${more} more`;
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const reported = new WeakMap<Section, Map<string, number>>();

/**
 * True the first time a rule asks for the current transaction of a section, false after: rules
 * whose finding is about the transaction as a whole report once per transaction, so a migration
 * that rewrites 800 tables in one transaction gets one finding, not 800.
 */
export function firstInTransaction(ctx: StatementContext, rule: string): boolean {
  let byRule = reported.get(ctx.section);
  if (!byRule) reported.set(ctx.section, (byRule = new Map()));
  const start = transactionStart(ctx);
  if (byRule.get(rule) === start) return false;
  byRule.set(rule, start);
  return true;
}

/** Whether the rule already reported the current transaction (firstInTransaction said true). */
export function reportedInTransaction(ctx: StatementContext, rule: string): boolean {
  return reported.get(ctx.section)?.get(rule) === transactionStart(ctx);
}

/** Called when a section starts, so that a new lint of the same section reports again. */
export function forgetTransactionReports(section: Section, rule: string): void {
  reported.get(section)?.delete(rule);
}

/** Where each held ACCESS EXCLUSIVE lock was taken, as a finding's related information. */
export function whereLocksWereTaken(
  file: SourceFile,
  held: Iterable<[string, Statement]>,
): RelatedInfo[] {
  // the places of the tables the message names
  const all = [...held];
  return all.slice(0, listed(all.length)).map(([t, s]) => ({
    file: file.path,
    start: s.start,
    end: s.end,
    message: `ACCESS EXCLUSIVE lock on ${listNames([t])} taken here`,
  }));
}

/** Ends the lock window before this statement: it and the rest of the section move on. */
export function moveRestOfSectionFix(ctx: StatementContext): Fix | undefined {
  if (ctx.tx.explicit) return undefined;
  const split = splitSectionAt(ctx, ctx.position, 'continued');
  if (!split) return undefined;
  return {
    title: `Move this statement and the rest of the section to a new migration ${split.label}`,
    edits: split.edits,
  };
}
