import { runMigrations } from '../runMigrations';
import { oneFolder } from '../targets';
import { requireTrust } from '../trust';
import type { MigrationsContext } from './context';

/** Rolls back the last applied migration of a folder and applies it again. */
export async function redo(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  requireTrust('Redo');
  const { conn, root } = await oneFolder(ctx, arg, 'Redo the last migration of which folder?');
  await runMigrations(ctx, {
    conn,
    root,
    title: 'Redo last migration',
    spec: { kind: 'redo', params: {} },
  });
}
