import * as vscode from 'vscode';
import type { CommandContext } from './index';

export async function restartServer(ctx: CommandContext): Promise<void> {
  ctx.logs.client.info('restart requested');
  await ctx.server.restart();
  void vscode.window.setStatusBarMessage('pgmig: language server restarted', 3000);
}
