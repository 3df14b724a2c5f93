import * as vscode from 'vscode';
import { RunnerNewRequest } from '../../../../server/src/protocol/runner';
import { CommandAbortError } from '../../util/commandError';
import { oneFolder } from '../targets';
import type { MigrationsContext } from './context';

/** Creates the next migration in the folder's own naming and format, and opens it. */
export async function newMigration(ctx: MigrationsContext, arg?: unknown): Promise<void> {
  const { root } = await oneFolder(ctx, arg, 'New migration in which folder?');
  const name = await vscode.window.showInputBox({
    title: `New migration in ${vscode.workspace.asRelativePath(root)}`,
    prompt: 'What it does, in a few words (for the file name)',
    placeHolder: 'add_orders_status',
    validateInput: (v) => (v.trim() ? undefined : 'Give the migration a name'),
  });
  if (name === undefined) throw new CommandAbortError();
  const created = await ctx.runner.request(RunnerNewRequest, { folder: root, name: name.trim() });
  ctx.logs.client.info(`new migration ${created.version}: ${created.files.join(', ')}`);
  await vscode.window.showTextDocument(vscode.Uri.file(created.files[0]));
}
