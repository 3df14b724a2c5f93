import { runMigrations } from '../runMigrations';
import { folderTarget } from '../targets';
import { requireTrust } from '../trust';
import type { MigrationsContext } from './context';

/** Applies every pending migration of the folder(s), stopping at the first failure. */
export async function runAllPending(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  requireTrust('Run All Pending');
  const { conn, roots } = await folderTarget(ctx, arg);
  for (const root of roots) {
    const result = await runMigrations(ctx, {
      conn,
      root,
      title: roots.length > 1 ? `Run All Pending (${root})` : 'Run All Pending',
      spec: { kind: 'up', params: {} },
    });
    if (result.failure) return;
  }
}
