import { runMigrations } from '../runMigrations';
import { migrationTarget } from '../targets';
import { requireTrust } from '../trust';
import type { MigrationsContext } from './context';

/** Applies the pending migrations up to and including the target (editor, node or pick). */
export async function runUp(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  requireTrust('Run Migration Up');
  const t = await migrationTarget(ctx, arg, 'up');
  if (!t.file && !t.entry) throw new Error('no migration to run');
  await runMigrations(ctx, {
    conn: t.conn,
    root: t.root,
    title: `Run Up: ${t.label}`,
    spec: { kind: 'up', params: t.file ? { file: t.file } : { to: t.entry!.version } },
  });
}
