/**
 * The migration and connection commands: one entry per command contributed in package.json,
 * each in its own file, every one registered through the client's error wrapper (wrapCommand).
 */
import * as vscode from 'vscode';
import { addConnection } from '../../connections/addConnection';
import { forgetPassword } from '../../connections/forgetPassword';
import { selectConnection, useEmbedded } from '../../connections/selectConnection';
import { wrapCommand } from '../../util/commandError';
import { MigrationCommands } from '../ids';
import type { MigrationsContext } from './context';
import { newMigration } from './newMigration';
import { redo } from './redo';
import { refresh } from './refresh';
import { resolve } from './resolve';
import { runAllPending } from './runAllPending';
import { runDown } from './runDown';
import { runUp } from './runUp';
import { showLog } from './showLog';
import { showStatus } from './showStatus';
import { traceLocks } from './traceLocks';
import { verifyRoundTrip } from './verifyRoundTrip';

type Command = (ctx: MigrationsContext, arg?: unknown) => unknown;

const COMMANDS: ReadonlyArray<{ id: string; title: string; run: Command }> = [
  { id: MigrationCommands.runUp, title: 'Run Migration Up', run: runUp },
  { id: MigrationCommands.runDown, title: 'Run Migration Down', run: runDown },
  { id: MigrationCommands.runAllPending, title: 'Run All Pending', run: runAllPending },
  { id: MigrationCommands.redo, title: 'Redo', run: redo },
  { id: MigrationCommands.showStatus, title: 'Show Status', run: showStatus },
  { id: MigrationCommands.newMigration, title: 'New Migration', run: newMigration },
  { id: MigrationCommands.refresh, title: 'Refresh Migrations', run: refresh },
  { id: MigrationCommands.resolve, title: 'Resolve Failed Migration', run: resolve },
  { id: MigrationCommands.showLog, title: 'Show Migrations Log', run: showLog },
  { id: MigrationCommands.addConnection, title: 'Add Connection', run: addConnection },
  { id: MigrationCommands.selectConnection, title: 'Select Connection', run: selectConnection },
  { id: MigrationCommands.useEmbedded, title: 'Use the Embedded Database', run: useEmbedded },
  { id: MigrationCommands.forgetPassword, title: 'Forget Password', run: forgetPassword },
  { id: MigrationCommands.traceLocks, title: 'Trace Locks', run: traceLocks },
  { id: MigrationCommands.verifyRoundTrip, title: 'Verify Round Trip', run: verifyRoundTrip },
];

export function registerMigrationCommands(ctx: MigrationsContext): vscode.Disposable[] {
  return COMMANDS.map(({ id, title, run }) =>
    vscode.commands.registerCommand(
      id,
      // tree menus pass the node and the selection: only the node is used
      wrapCommand(ctx.logs, title, (arg?: unknown) => run(ctx, arg)),
    ),
  );
}
