/**
 * Findings weighed by the real tables, when a connected database gave their sizes: a rewrite of
 * an empty table and of a 3 GB one are the same finding to a linter, not to the people who run
 * it. The engine records, for each statement, the tables it locks and the work it does on them;
 * findings of rules whose hazard grows with the table then say how big the table is and roughly
 * how long the lock is held, and turn into errors when that is minutes under a lock that stops
 * the application. Nothing is ever lowered: a small table on the connected database may be a
 * big one in production.
 */
import { slowWork, type SlowWork } from './slowWork';
import { stronger } from '../trace/lockMatrix';
import { blocksTraffic, tableLocks, type LockMode } from './statementFacts';
import { weigh, workSeconds, type TableSize, type TableWork } from './tableSize';
import type { StatementContext, Violation } from './types';

/** A lock a statement takes on a table. */
export interface LockFact {
  table: string;
  mode: LockMode;
  /** Created earlier in this migration: nobody else can be using it yet. */
  isNew: boolean;
}

/** The table-level locks of the statement, with DROP INDEX resolved to the index's table. */
function locksOf(ctx: StatementContext): LockFact[] {
  const { stmt } = ctx;
  return tableLocks(stmt).map((l) => {
    const index = stmt.kind === 'DropStmt' ? ctx.catalog.indexes.get(l.table) : undefined;
    const table = index ? `${index.schema}.${index.table}` : l.table;
    return { table, mode: l.mode, isNew: ctx.isNewTable(table) };
  });
}

export interface StatementWeight {
  file: string;
  start: number;
  end: number;
  locks: LockFact[];
  work?: SlowWork;
}

export function statementWeight(ctx: StatementContext): StatementWeight {
  return {
    file: ctx.file.path,
    start: ctx.stmt.start,
    end: ctx.stmt.end,
    locks: locksOf(ctx),
    work: slowWork(ctx),
  };
}

/** Held this long under a lock that stops reads or writes, a finding is an outage: an error. */
const OUTAGE_SECONDS = 60;

/** Adds sizes to the findings of weighed rules, in place. */
export function weighViolations(
  violations: Violation[],
  statements: readonly StatementWeight[],
  sizes: ReadonlyMap<string, TableSize>,
  isWeighed: (rule: string) => boolean,
): void {
  if (sizes.size === 0) return;
  for (const v of violations) {
    if (!isWeighed(v.rule)) continue;
    const s = statements.find((x) => x.file === v.file && x.start <= v.start && v.start < x.end);
    const weight = s && weightOf(s, sizes);
    if (!weight) continue;
    v.message = `${v.message.replace(/[.:;]?\s*$/, '.')} On the connected database, ${weigh(weight.size, weight.work)}.`;
    const seconds = workSeconds(weight.size, weight.work);
    if (seconds !== undefined && seconds >= OUTAGE_SECONDS && blocksTraffic(weight.work.mode))
      v.severity = 'error';
  }
}

/** "users: ~12 M rows, 3.4 GB — this rewrite holds ACCESS EXCLUSIVE for minutes", if sized. */
export function describeWeight(
  s: StatementWeight,
  sizes: ReadonlyMap<string, TableSize>,
): string | undefined {
  const weight = weightOf(s, sizes);
  return weight && weigh(weight.size, weight.work);
}

/** The table that makes the statement slow, else the biggest existing table it locks. */
function weightOf(
  s: StatementWeight,
  sizes: ReadonlyMap<string, TableSize>,
): { size: TableSize; work: TableWork } | undefined {
  const existing = s.locks.filter((l) => !l.isNew && sizes.has(l.table));
  const worked = s.work && sizes.get(s.work.table);
  if (s.work && worked) {
    const modes = s.locks.filter((l) => l.table === s.work!.table).map((l) => l.mode);
    const mode = modes.length > 0 ? modes.reduce(stronger) : 'ACCESS EXCLUSIVE';
    return {
      size: worked,
      work: {
        mode,
        rewrite: s.work.kind === 'rewrite',
        indexBuild: s.work.kind === 'index',
        scan: s.work.kind === 'scan',
      },
    };
  }
  // the slow part is on a table the connected database does not have: nothing to say
  if (s.work) return undefined;
  const biggest = existing.sort(
    (a, b) => sizes.get(b.table)!.totalBytes - sizes.get(a.table)!.totalBytes,
  )[0];
  return biggest && { size: sizes.get(biggest.table)!, work: { mode: biggest.mode } };
}
