/**
 * A trace weighed against the real database it was asked for: the sizes of the tables its
 * statements lock, what each lock means at that size, and the open transactions the migration
 * would queue behind. The runner and the editor call `checkBeforeRun` with the static verdict
 * when no trace was made.
 */
import type { LockMode } from '../linter/statementFacts';
import { tableLocks } from '../linter/statementFacts';
import type { Statement } from '../parser/parse';
import { describeOpenTransactions, openTransactions, type ActivityOptions } from './activity';
import { hoverMarkdown, notableLocks } from './describe';
import { stronger } from './lockMatrix';
import { describeSize, tableSizes, weigh } from './size';
import type { StatementTrace, TraceResult } from './types';

type Queryable = Parameters<typeof tableSizes>[0];

const TABLE_KINDS = new Set(['table', 'partitioned table', 'materialized view']);

/** The strongest lock each statement takes on each existing table, over the whole trace. */
export function neededLocks(statements: readonly StatementTrace[]): Map<string, LockMode> {
  const out = new Map<string, LockMode>();
  for (const t of statements)
    for (const l of notableLocks(t.locks))
      if (TABLE_KINDS.has(l.kind))
        out.set(l.relation, stronger(out.get(l.relation) ?? l.mode, l.mode));
  return out;
}

export async function addLiveReport(
  db: Queryable,
  label: string,
  result: TraceResult,
  options: ActivityOptions = {},
): Promise<void> {
  const statements = result.sections.flatMap((s) => s.statements);
  const needed = neededLocks(statements);
  const sizes = await tableSizes(db, [...needed.keys()]);
  const bySize = new Map(sizes.map((s) => [s.table, s]));
  for (const t of statements) {
    const weights: string[] = [];
    for (const l of notableLocks(t.locks)) {
      const size = bySize.get(l.relation);
      if (!size || !TABLE_KINDS.has(l.kind)) continue;
      weights.push(
        weigh(size, {
          mode: l.mode,
          rewrite: t.rewritten.includes(l.relation),
          indexBuild: t.kind === 'IndexStmt',
          scan: t.scanned.some((s) => s.relation === l.relation),
        }),
      );
    }
    if (weights.length > 0) {
      t.weights = weights;
      t.hover = hoverMarkdown(t, result.server);
    }
  }
  const txs = await openTransactions(db, [...needed.keys()], options);
  result.live = {
    database: label,
    sizes: sizes.map((s) => ({ ...s, text: describeSize(s) })),
    warnings: describeOpenTransactions(txs, needed),
    openTransactions: txs,
  };
}

/**
 * Before running statements on `db`: open transactions that hold locks the statements' locks
 * (the linter's static verdict) conflict with, and long transactions. Empty when all is clear.
 */
export async function checkBeforeRun(
  db: Queryable,
  statements: readonly Statement[],
  options: ActivityOptions = {},
): Promise<string[]> {
  const needed = new Map<string, LockMode>();
  for (const s of statements)
    for (const l of tableLocks(s))
      needed.set(l.table, stronger(needed.get(l.table) ?? l.mode, l.mode));
  const txs = await openTransactions(db, [...needed.keys()], options);
  return describeOpenTransactions(txs, needed);
}
