import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('pgmig', { log: true });
  context.subscriptions.push(log);
  log.info('pgmig activated');
}

export function deactivate(): void {}
