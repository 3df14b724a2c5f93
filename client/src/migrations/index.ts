/**
 * The editor side of running migrations: connections, the Migrations view, the commands, the
 * CodeLens, "N pending" and run failures as diagnostics. extension.ts calls registerMigrations
 * once; everything created here is returned as disposables.
 */
import * as vscode from 'vscode';
import { ConnectionStore } from '../connections/connectionStore';
import { PasswordStore } from '../connections/passwords';
import { SizeWeighing } from '../connections/sizeWeighing';
import type { Logs } from '../logger';
import type { ServerController } from '../serverController';
import { MigrationCodeLens } from './codeLens';
import { registerMigrationCommands } from './commands';
import type { MigrationsContext } from './commands/context';
import { FailureDiagnostics } from './failureDiagnostics';
import { MigrationFolders } from './folders';
import { MIGRATIONS_VIEW_ID } from './ids';
import { PendingItem } from './pendingItem';
import { ReportDocuments } from './reportDocuments';
import { RunLog } from './runLog';
import { RunnerClient } from './runnerClient';
import { MigrationStatusModel } from './statusModel';
import { MigrationTreeProvider } from './treeProvider';

/** What tests reach through the extension's exports. */
export interface MigrationsApi {
  tree: MigrationTreeProvider;
  model: MigrationStatusModel;
  connections: ConnectionStore;
  folders: MigrationFolders;
}

export function registerMigrations(
  context: vscode.ExtensionContext,
  logs: Logs,
  server: ServerController,
): { disposables: vscode.Disposable[]; api: MigrationsApi } {
  const passwords = new PasswordStore(context.secrets, logs);
  const runner = new RunnerClient(server, passwords, logs);
  const connections = new ConnectionStore(context.workspaceState, logs);
  const folders = new MigrationFolders(runner, logs);
  const model = new MigrationStatusModel(runner, connections, folders, logs);
  const log = new RunLog();
  const diagnostics = new FailureDiagnostics();
  const reports = new ReportDocuments();
  const ctx: MigrationsContext = {
    logs,
    runner,
    connections,
    passwords,
    folders,
    model,
    log,
    diagnostics,
    reports,
  };
  const tree = new MigrationTreeProvider(connections, folders, model);
  const view = vscode.window.createTreeView(MIGRATIONS_VIEW_ID, {
    treeDataProvider: tree,
    showCollapseAll: true,
  });
  let selectedId = connections.selected()?.id;
  const expandSelected = connections.onDidChange(() => {
    const id = connections.selected()?.id;
    if (id === selectedId) return;
    selectedId = id;
    tree.revealSelected(view).catch((e: unknown) => logs.error('revealing the connection', e));
  });
  const codeLens = new MigrationCodeLens(connections, folders, model, runner);
  const disposables: vscode.Disposable[] = [
    runner,
    connections,
    folders,
    model,
    log,
    diagnostics,
    reports,
    tree,
    view,
    expandSelected,
    codeLens,
    vscode.languages.registerCodeLensProvider({ scheme: 'file', language: 'sql' }, codeLens),
    new PendingItem(connections, folders, model),
    new SizeWeighing(connections, folders, model, runner, logs),
    model.onDidChange(() => showDirtyMigrations(ctx)),
    ...registerMigrationCommands(ctx),
  ];
  return { disposables, api: { tree, model, connections, folders } };
}

/** Failed (dirty) migrations on the selected connection stay visible as diagnostics. */
function showDirtyMigrations(ctx: MigrationsContext): void {
  const conn = ctx.connections.effective();
  void ctx.folders.list().then(
    (folders) => {
      for (const f of folders) {
        const status = ctx.model.get(conn, f.root)?.status;
        if (!status) continue;
        ctx.diagnostics.statusFailures(
          f.root,
          status.entries.flatMap((e) => (e.state === 'failed' && e.failure ? [e.failure] : [])),
        );
      }
    },
    () => undefined,
  );
}
