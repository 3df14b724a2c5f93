/**
 * "Run Up" / "Run Down" and "Trace Locks" above each migration section, and the migration's state on the selected
 * connection. Sections come from the language server's outline (its document symbols), so they
 * match what it lints, in every runner format.
 */
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections/connectionStore';
import type { MigrationFolders } from './folders';
import { MigrationCommands } from './ids';
import type { RunnerClient } from './runnerClient';
import type { MigrationStatusModel } from './statusModel';
import type { FileArgument } from './targets';

/** How outline.ts names section symbols: "UP", "DOWN", then the runner's marker. */
const SECTION = /^(UP|DOWN)\b/;

export class MigrationCodeLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly connections: ConnectionStore,
    private readonly folders: MigrationFolders,
    private readonly model: MigrationStatusModel,
    runner: RunnerClient,
  ) {
    this.subscriptions = [
      this.changed,
      model.onDidChange(() => this.changed.fire()),
      folders.onDidChange(() => this.changed.fire()),
      runner.onDidAttach(() => this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    ];
  }

  async provideCodeLenses(
    doc: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.isTrusted || doc.uri.scheme !== 'file') return [];
    const file = doc.uri.fsPath;
    const folder = await this.folders.folderOf(file).catch(() => undefined);
    if (!folder || token.isCancellationRequested) return [];
    const symbols =
      (await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
        'vscode.executeDocumentSymbolProvider',
        doc.uri,
      )) ?? [];
    const sections = symbols.filter(
      (s) => s.kind === vscode.SymbolKind.Namespace && SECTION.test(s.name),
    );
    if (sections.length === 0) return [];
    const conn = this.connections.effective();
    const cached = this.model.get(conn, folder.root);
    if (!cached && this.connections.hasAny()) void this.model.load(conn, folder.root);
    const entry = cached?.status?.entries.find((e) => e.file === file);
    const arg: FileArgument = { file };
    const lenses: vscode.CodeLens[] = [];
    for (const s of sections) {
      const range = new vscode.Range(s.range.start, s.range.start);
      const up = s.name.startsWith('UP');
      lenses.push(
        new vscode.CodeLens(range, {
          title: up ? '$(play) Run Up' : '$(debug-step-back) Run Down',
          tooltip: up
            ? `Apply pending migrations up to this one on ${conn.label}`
            : `Roll back this migration (and any applied after it) on ${conn.label}`,
          command: up ? MigrationCommands.runUp : MigrationCommands.runDown,
          arguments: [arg],
        }),
      );
      lenses.push(
        new vscode.CodeLens(range, {
          title: '$(lock) Trace Locks',
          tooltip: `Measure what this section locks, rewrites and scans on a scratch database`,
          command: MigrationCommands.traceLocks,
          arguments: [{ file, direction: up ? 'up' : 'down' }],
        }),
      );
      if (up && entry)
        lenses.push(
          new vscode.CodeLens(range, {
            title: `${entry.state} on ${conn.label}`,
            tooltip: 'Run migrations on another database',
            command: MigrationCommands.selectConnection,
          }),
        );
    }
    return lenses;
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}
