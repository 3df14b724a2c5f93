import * as vscode from 'vscode';
import type { MigrationsContext } from '../migrations/commands/context';
import { isNode } from '../migrations/targets';
import { CommandAbortError } from '../util/commandError';

/** Removes a named connection's password from secret storage. */
export async function forgetPassword(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  let name = isNode(arg) && arg.type === 'connection' ? arg.conn.named?.name : undefined;
  if (!name) {
    const named = ctx.connections.named();
    if (named.length === 0) {
      void vscode.window.showInformationMessage('pgmig: there are no named connections');
      return;
    }
    name = (
      await vscode.window.showQuickPick(
        named.map((c) => ({ label: c.name })),
        { title: 'Forget the stored password of which connection?' },
      )
    )?.label;
    if (!name) throw new CommandAbortError();
  }
  const had = await ctx.passwords.forgetNamed(name);
  void vscode.window.showInformationMessage(
    had
      ? `pgmig: the password of "${name}" is forgotten; it is asked again when needed`
      : `pgmig: no password was stored for "${name}"`,
  );
}
