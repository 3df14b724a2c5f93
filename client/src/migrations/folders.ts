/**
 * The workspace's migration folders, as the language server decides them (the rules it lints by):
 * the editor finds the SQL files, honouring its excludes, and the server names their folders.
 * Recomputed when SQL files come or go, when pgmig.json or the globs change, and after a restart.
 */
import { sep } from 'node:path';
import * as vscode from 'vscode';
import {
  MigrationFoldersRequest,
  type MigrationFolderInfo,
} from '../../../server/src/protocol/migrationFolders';
import { CONFIG_SECTION } from '../constants';
import type { Logs } from '../logger';
import type { RunnerClient } from './runnerClient';

const FILES = '**/{*.sql,sqitch.plan}';
const EXCLUDE = '**/{node_modules,.git,.pgmig}/**';
const MAX_FILES = 50_000;

export class MigrationFolders implements vscode.Disposable {
  private cached: Promise<MigrationFolderInfo[]> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires when the list may have changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly runner: RunnerClient,
    private readonly logs: Logs,
  ) {
    const files = vscode.workspace.createFileSystemWatcher('**/{*.sql,sqitch.plan,pgmig.json}');
    this.subscriptions.push(
      this.changed,
      files,
      files.onDidCreate(() => this.invalidate()),
      files.onDidDelete(() => this.invalidate()),
      files.onDidChange((uri) => {
        if (!uri.path.endsWith('.sql')) this.invalidate();
      }),
      runner.onDidAttach(() => this.invalidate()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.migrationGlobs`)) this.invalidate();
      }),
    );
  }

  list(): Promise<MigrationFolderInfo[]> {
    if (!this.cached) {
      const p = this.discover();
      this.cached = p;
      // a failure is not cached: the next call asks again
      p.catch(() => {
        if (this.cached === p) this.cached = undefined;
      });
    }
    return this.cached;
  }

  /** The folder holding a file (the innermost when folders nest). */
  async folderOf(path: string): Promise<MigrationFolderInfo | undefined> {
    return (await this.list())
      .filter((f) => path === f.root || path.startsWith(`${f.root}${sep}`))
      .sort((a, b) => b.root.length - a.root.length)[0];
  }

  invalidate(): void {
    this.cached = undefined;
    this.changed.fire();
  }

  private async discover(): Promise<MigrationFolderInfo[]> {
    const uris = await vscode.workspace.findFiles(FILES, EXCLUDE, MAX_FILES);
    const files = uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    if (files.length === 0) return [];
    const { folders } = await this.runner.request(MigrationFoldersRequest, { files });
    this.logs.client.info(
      `migration folders: ${folders.map((f) => `${f.root} (${f.reason})`).join(', ') || 'none'}`,
    );
    return folders;
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}
