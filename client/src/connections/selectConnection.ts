import * as vscode from 'vscode';
import type { MigrationsContext } from '../migrations/commands/context';
import { isNode } from '../migrations/targets';
import { CommandAbortError } from '../util/commandError';
import { EMBEDDED_ID } from './connectionStore';

const ADD = 'add';

/** Chooses this workspace's connection: a node of the view, else from a list. */
export async function selectConnection(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  if (isNode(arg) && arg.type === 'connection') {
    await ctx.connections.select(arg.conn.id);
    return;
  }
  const current = ctx.connections.effective();
  const items = [
    ...ctx.connections.choices().map((c) => ({
      label: `${c.scratch ? '$(beaker)' : c.protected ? '$(shield)' : '$(database)'} ${c.label}`,
      description:
        [c.id === current.id && 'selected', c.protected && 'protected', c.scratch && 'scratch']
          .filter(Boolean)
          .join(' · ') || undefined,
      detail: c.description,
      id: c.id,
    })),
    { label: '$(add) Add Connection…', description: undefined, detail: undefined, id: ADD },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'pgmig: run migrations on which database?',
    matchOnDetail: true,
  });
  if (!picked) throw new CommandAbortError();
  if (picked.id === ADD) {
    await vscode.commands.executeCommand('pgmig.addConnection');
    return;
  }
  await ctx.connections.select(picked.id);
}

/** The view's welcome button: the embedded scratch database. */
export async function useEmbedded(ctx: MigrationsContext): Promise<void> {
  await ctx.connections.select(EMBEDDED_ID);
}
