/**
 * The Migrations view: every connection (the selected one expanded) with the state of each
 * migration folder on it. Children come from the status model's cache; a node that is shown
 * for the first time loads its status (the view shows its progress bar meanwhile). Empty in
 * untrusted workspaces and before any connection exists, so the welcome content shows instead.
 */
import * as vscode from 'vscode';
import type { MigrationFolderInfo } from '../../../server/src/protocol/migrationFolders';
import type { ConnectionChoice, ConnectionStore } from '../connections/connectionStore';
import type { MigrationFolders } from './folders';
import { ContextKeys, MigrationCommands } from './ids';
import type { FolderStatus, MigrationStatusModel } from './statusModel';
import { groups, toTreeItem, type MigrationNode } from './treeNodes';

export class MigrationTreeProvider
  implements vscode.TreeDataProvider<MigrationNode>, vscode.Disposable
{
  private readonly changed = new vscode.EventEmitter<MigrationNode | undefined>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly connections: ConnectionStore,
    private readonly folders: MigrationFolders,
    private readonly model: MigrationStatusModel,
  ) {
    this.subscriptions = [
      this.changed,
      model.onDidChange(() => this.changed.fire(undefined)),
      connections.onDidChange(() => this.changed.fire(undefined)),
      folders.onDidChange(() => this.changed.fire(undefined)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire(undefined)),
    ];
  }

  getTreeItem(node: MigrationNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  /** Only connection nodes are revealed (they are the roots). */
  getParent(): MigrationNode | undefined {
    return undefined;
  }

  /**
   * Expands the selected connection: VS Code keeps a node's expansion by id, so a connection
   * first shown collapsed stays so when it becomes the selected one.
   */
  async revealSelected(view: vscode.TreeView<MigrationNode>): Promise<void> {
    const selected = this.connections.selected();
    if (!selected || !view.visible) return;
    const node = (await this.roots()).find(
      (n) => n.type === 'connection' && n.conn.id === selected.id,
    );
    if (node) await view.reveal(node, { expand: true, select: false, focus: false });
  }

  async getChildren(node?: MigrationNode): Promise<MigrationNode[]> {
    if (!node) return this.roots();
    switch (node.type) {
      case 'connection': {
        let folders: MigrationFolderInfo[];
        try {
          folders = await this.folders.list();
        } catch (e) {
          return [
            {
              type: 'message',
              id: `folders-error:${node.conn.id}`,
              text: e instanceof Error ? e.message : String(e),
              icon: 'error',
              command: { title: 'Refresh', command: MigrationCommands.refresh },
            },
          ];
        }
        if (folders.length === 0)
          return [
            {
              type: 'message',
              id: `none:${node.conn.id}`,
              text: 'No migration folders in this workspace',
              icon: 'info',
              tooltip:
                'pgmig looks for folders with a runner layout, folders named migrations, and the folders of pgmig.json',
            },
          ];
        if (folders.length > 1)
          return folders.map((f) => ({ type: 'folder', conn: node.conn, root: f.root }));
        return this.folderChildren(node.conn, folders[0].root);
      }
      case 'folder':
        return this.folderChildren(node.conn, node.root);
      case 'group':
        return node.entries.map((entry) => ({
          type: 'migration',
          conn: node.conn,
          root: node.root,
          entry,
        }));
      default:
        return [];
    }
  }

  private async roots(): Promise<MigrationNode[]> {
    const trusted = vscode.workspace.isTrusted;
    const any = trusted && this.connections.hasAny();
    void vscode.commands.executeCommand('setContext', ContextKeys.hasConnections, any);
    if (!any) return [];
    const selected = this.connections.effective();
    return Promise.all(
      this.connections.choices().map(async (conn): Promise<MigrationNode> => {
        const isSelected = conn.id === selected.id;
        return {
          type: 'connection',
          conn,
          selected: isSelected,
          pending: await this.pendingOf(conn),
        };
      }),
    );
  }

  /** Pending count from what is cached (never a request just for the label). */
  private async pendingOf(conn: ConnectionChoice): Promise<number | undefined> {
    const folders = await this.folders.list().catch(() => []);
    let total = 0;
    for (const f of folders) {
      const s = this.model.get(conn, f.root)?.status;
      if (!s) return undefined;
      total += s.pending;
    }
    return total;
  }

  private async folderChildren(conn: ConnectionChoice, root: string): Promise<MigrationNode[]> {
    const s = await this.model.load(conn, root);
    if (!s.status) return [errorNode(conn, root, s)];
    const out: MigrationNode[] = [];
    // DATABASE_URL that resolved to nothing falls back to the scratch database: say so
    if (s.status.connection.scratch && conn.kind !== 'embedded')
      out.push({
        type: 'message',
        id: `scratch:${conn.id}:${root}`,
        text: 'Scratch database: data here is throwaway',
        icon: 'beaker',
        tooltip: s.status.connection.label,
      });
    if (!s.status.history.writable)
      out.push({
        type: 'message',
        id: `readonly:${conn.id}:${root}`,
        text: `${s.status.history.runner} history (read only)`,
        icon: 'lock',
        tooltip: `pgmig reads ${s.status.history.table} but does not write it: run ${s.status.history.runner} itself to apply or roll back`,
      });
    for (const g of groups(s.status.entries))
      out.push({ type: 'group', conn, root, group: g.group, entries: g.entries });
    return out;
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}

function errorNode(conn: ConnectionChoice, root: string, s: FolderStatus): MigrationNode {
  return {
    type: 'message',
    id: `error:${conn.id}:${root}`,
    text: s.needsPassword ? 'Needs a password — click to connect' : (s.error ?? 'no status'),
    icon: s.needsPassword ? 'key' : 'error',
    tooltip: `${s.error ?? ''}\n\nClick to try again.`,
    command: { title: 'Refresh', command: MigrationCommands.refresh, arguments: [conn.id] },
  };
}
