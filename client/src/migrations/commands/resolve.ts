import * as vscode from 'vscode';
import type { ResolveParams } from '../../../../server/src/protocol/runner';
import { CommandAbortError, UserFacingError } from '../../util/commandError';
import { runMigrations } from '../runMigrations';
import { migrationTarget } from '../targets';
import { requireTrust } from '../trust';
import type { MigrationsContext } from './context';

const ACTIONS: Array<{ label: string; detail: string; action: ResolveParams['action'] }> = [
  { label: 'Retry', detail: 'Run it again (after fixing the SQL)', action: 'retry' },
  {
    label: 'Mark as applied',
    detail: 'You completed it by hand: record it as applied',
    action: 'applied',
  },
  {
    label: 'Mark as not applied',
    detail: 'You undid its changes by hand: record it as not applied',
    action: 'not-applied',
  },
];

/** Unblocks a failed (dirty) migration: retry it, or record what was done by hand. */
export async function resolve(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  requireTrust('Resolve');
  const t = await migrationTarget(ctx, arg, 'resolve');
  if (t.entry && t.entry.state !== 'failed')
    throw new UserFacingError(`pgmig: ${t.label} is ${t.entry.state}, not failed`);
  const version = t.entry?.version;
  if (!version)
    throw new UserFacingError(`pgmig: pick the failed migration in the Migrations view`);
  const picked = await vscode.window.showQuickPick(ACTIONS, { title: `Resolve ${t.label}` });
  if (!picked) throw new CommandAbortError();
  await runMigrations(ctx, {
    conn: t.conn,
    root: t.root,
    title: `Resolve ${t.label}: ${picked.label.toLowerCase()}`,
    spec: { kind: 'resolve', params: { version, action: picked.action } },
  });
}
