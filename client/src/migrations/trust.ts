/**
 * Running migrations executes a workspace's SQL against a database with the user's credentials:
 * only in trusted workspaces (package.json declares limited support for untrusted ones).
 */
import * as vscode from 'vscode';
import { CommandAbortError } from '../util/commandError';

const MANAGE = 'Manage Workspace Trust';

export function requireTrust(action: string): void {
  if (vscode.workspace.isTrusted) return;
  void vscode.window
    .showWarningMessage(
      `pgmig: ${action} is disabled in an untrusted workspace: migrations run this workspace's SQL against a database. Trust the workspace to run them.`,
      MANAGE,
    )
    .then((choice) => {
      if (choice === MANAGE) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  throw new CommandAbortError('untrusted workspace');
}
