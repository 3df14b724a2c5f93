/**
 * Recording by hand how a failed migration ended, after the user fixed the database: `applied`
 * (the work is done) or `not-applied` (the partial work was undone). For a failed DOWN the
 * meanings flip: `not-applied` means rolled back, `applied` means it is still applied.
 */
import type { Migration } from '../folder/model';
import { contentHash } from './checksum';
import type { HistoryAdapter, Queryable } from './history';
import { ensureSideTable, forget, recordApplied } from './sideTable';
import type { StatusEntry } from './status';

export async function markResolved(
  c: Queryable,
  adapter: HistoryAdapter,
  sideTable: boolean,
  entry: StatusEntry,
  action: 'applied' | 'not-applied',
  migrations: readonly Migration[],
): Promise<void> {
  const m = entry.migration!;
  const key = adapter.keyOf(m);
  const nowApplied =
    (entry.failedDirection ?? 'up') === 'up' ? action === 'applied' : action === 'not-applied';
  await c.query('BEGIN');
  try {
    await adapter.ensure!(c);
    if (nowApplied) {
      // the history may hold the row already (a DOWN that failed half-way); golang-migrate's
      // single row is rewritten either way
      if (entry.appliedOrder === undefined || adapter.markDirty)
        await adapter.recordUp!(c, m, migrations);
      if (sideTable) {
        await ensureSideTable(c);
        const id = { historyTable: adapter.table, key, version: m.version, name: m.name };
        await recordApplied(c, id, contentHash(m), 0);
      }
    } else {
      if (entry.appliedOrder !== undefined && !adapter.markDirty)
        await adapter.recordDown!(c, m, migrations);
      else await adapter.clearDirty?.(c, m, migrations);
      if (sideTable) await forget(c, adapter.table, key);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
