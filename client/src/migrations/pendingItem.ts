/**
 * The status bar's "N pending": migrations waiting on the selected connection, across the
 * workspace's migration folders. Shown once a connection is chosen; a click shows the status.
 * It loads statuses itself only for databases that need no password prompt.
 */
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections/connectionStore';
import type { MigrationFolders } from './folders';
import { MigrationCommands, PENDING_ITEM_ID } from './ids';
import type { MigrationStatusModel } from './statusModel';

export class PendingItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    PENDING_ITEM_ID,
    vscode.StatusBarAlignment.Left,
    -1,
  );
  private readonly subscriptions: vscode.Disposable[];
  private updating = Promise.resolve();

  constructor(
    private readonly connections: ConnectionStore,
    private readonly folders: MigrationFolders,
    private readonly model: MigrationStatusModel,
  ) {
    this.item.name = 'pgmig pending migrations';
    this.item.command = MigrationCommands.showStatus;
    this.subscriptions = [
      model.onDidChange(() => this.update()),
      connections.onDidChange(() => this.update()),
      folders.onDidChange(() => this.update()),
    ];
    this.update();
  }

  private update(): void {
    this.updating = this.updating.then(() => this.render()).catch(() => undefined);
  }

  private async render(): Promise<void> {
    const conn = this.connections.selected();
    if (!conn || !vscode.workspace.isTrusted) {
      this.item.hide();
      return;
    }
    const folders = await this.folders.list();
    let pending = 0;
    let known = true;
    for (const f of folders) {
      const cached = this.model.get(conn, f.root);
      if (cached?.status) pending += cached.status.pending;
      else {
        known = false;
        // named connections may prompt for a password: those wait until the view shows them
        if (!cached && conn.kind !== 'named') void this.model.load(conn, f.root);
      }
    }
    if (folders.length === 0 || (!known && pending === 0)) {
      this.item.hide();
      return;
    }
    this.item.text = `$(database) ${pending} pending`;
    this.item.tooltip = `${pending} pending migration(s) on ${conn.label}${known ? '' : ' (some folders not read yet)'} — click for the status`;
    this.item.accessibilityInformation = {
      label: `pgmig: ${pending} pending migrations on ${conn.label}`,
    };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
    this.item.dispose();
  }
}
