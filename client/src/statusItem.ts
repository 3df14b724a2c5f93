/**
 * The status bar item: whether the language server runs and what it reports (ready, linting, a
 * broken pgmig.json), with one click to its log.
 */
import * as vscode from 'vscode';
import { Commands, STATUS_ITEM_ID } from './constants';
import type { ServerController, ServerStatus } from './serverController';

interface Look {
  icon: string;
  label: string;
  color?: 'error' | 'warning';
}

function lookOf(status: ServerStatus): Look {
  switch (status.state) {
    case 'disabled':
      return { icon: '$(circle-slash)', label: 'disabled' };
    case 'starting':
      return { icon: '$(loading~spin)', label: 'starting' };
    case 'stopped':
      return { icon: '$(debug-stop)', label: 'stopped' };
    case 'failed':
      return { icon: '$(error)', label: 'failed', color: 'error' };
    case 'running':
      switch (status.server?.state) {
        case 'starting':
          return { icon: '$(loading~spin)', label: 'starting' };
        case 'linting':
          return { icon: '$(loading~spin)', label: 'linting' };
        case 'error':
          return { icon: '$(warning)', label: 'ready, with a problem', color: 'warning' };
        default:
          return { icon: '$(check)', label: 'ready' };
      }
  }
}

export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    STATUS_ITEM_ID,
    vscode.StatusBarAlignment.Left,
    0,
  );
  private readonly subscription: vscode.Disposable;

  constructor(controller: ServerController) {
    this.item.name = 'pgmig';
    this.subscription = controller.onDidChange((s) => this.show(s));
    this.show(controller.status);
    this.item.show();
  }

  private show(status: ServerStatus): void {
    const look = lookOf(status);
    this.item.text = `${look.icon} pgmig`;
    this.item.accessibilityInformation = { label: `pgmig language server ${look.label}` };
    this.item.backgroundColor = look.color
      ? new vscode.ThemeColor(`statusBarItem.${look.color}Background`)
      : undefined;
    this.item.command = {
      title: 'Show server log',
      command: Commands.showLogs,
      arguments: ['server'],
    };
    const details = [status.detail, status.server?.detail].filter((d): d is string => !!d);
    if (status.server?.pending)
      details.push(`${status.server.pending} file(s) waiting to be linted`);
    const tooltip = new vscode.MarkdownString(
      `**pgmig language server: ${look.label}**` +
        details.map((d) => `\n\n${escapeMarkdown(d)}`).join('') +
        `\n\n[Restart](command:${Commands.restartServer}) · ` +
        `[Server log](command:${Commands.showLogs}?${encodeURIComponent('["server"]')}) · ` +
        `[Client log](command:${Commands.showLogs}?${encodeURIComponent('["client"]')})`,
    );
    tooltip.isTrusted = { enabledCommands: [Commands.restartServer, Commands.showLogs] };
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
