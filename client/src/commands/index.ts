/**
 * THE command table: one entry per command contributed in package.json. Each command's code lives
 * in its own file; registration wraps every one in the same error boundary.
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Logs } from '../logger';
import type { ServerController } from '../serverController';
import { wrapCommand } from '../util/commandError';
import { openRuleDocs } from './openRuleDocs';
import { restartServer } from './restartServer';
import { showLogs } from './showLogs';

/** What commands may use; passed explicitly instead of module-level singletons. */
export interface CommandContext {
  extensionUri: vscode.Uri;
  logs: Logs;
  server: ServerController;
}

type Command = (ctx: CommandContext, ...args: unknown[]) => unknown;

const COMMANDS: ReadonlyArray<{ id: string; title: string; run: Command }> = [
  { id: Commands.restartServer, title: 'Restart Language Server', run: restartServer },
  { id: Commands.showLogs, title: 'Show Logs', run: showLogs },
  { id: Commands.openRuleDocs, title: 'Open Rule Documentation', run: openRuleDocs },
];

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return COMMANDS.map(({ id, title, run }) =>
    vscode.commands.registerCommand(
      id,
      wrapCommand(ctx.logs, title, (...args: unknown[]) => run(ctx, ...args)),
    ),
  );
}
