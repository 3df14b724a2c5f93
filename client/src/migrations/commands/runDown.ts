import { UserFacingError } from '../../util/commandError';
import { runMigrations } from '../runMigrations';
import { migrationTarget } from '../targets';
import { requireTrust } from '../trust';
import type { MigrationsContext } from './context';

/** Rolls back the target migration and those applied after it. */
export async function runDown(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  requireTrust('Run Migration Down');
  const t = await migrationTarget(ctx, arg, 'down');
  if (!t.file) throw new UserFacingError(`pgmig: ${t.label} has no file: there is no DOWN to run`);
  await runMigrations(ctx, {
    conn: t.conn,
    root: t.root,
    title: `Run Down: ${t.label}`,
    spec: { kind: 'down', params: { file: t.file } },
  });
}
