/**
 * Findings weighed by the selected connection's real tables: when the workspace selects a server
 * (not the embedded scratch database) and `pgmig.weighFindingsBySize` is on, the language server
 * reads that server's table sizes and the diagnostics say how big each table is and how long its
 * lock is held. Asked once the migration status of that connection has been read: by then the
 * server holds a connection (with the password the user gave for it), so weighing never asks for
 * a password of its own. Asked again when the selection, the setting or the server changes; a
 * failure is logged and leaves the findings unweighed.
 */
import * as vscode from 'vscode';
import { RunnerWeighRequest, type WeighParams } from '../../../server/src/protocol/runner';
import { CONFIG_SECTION } from '../constants';
import type { Logs } from '../logger';
import type { MigrationFolders } from '../migrations/folders';
import type { RunnerClient } from '../migrations/runnerClient';
import type { MigrationStatusModel } from '../migrations/statusModel';
import type { ConnectionStore } from './connectionStore';

const SETTING = 'weighFindingsBySize';

export class SizeWeighing implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  /** What the server weighs by now (a connection id), so an unchanged choice asks nothing. */
  private current: string | undefined;
  private round = 0;

  constructor(
    private readonly connections: ConnectionStore,
    private readonly folders: MigrationFolders,
    private readonly model: MigrationStatusModel,
    private readonly runner: RunnerClient,
    private readonly logs: Logs,
  ) {
    this.subscriptions = [
      connections.onDidChange(() => this.update()),
      folders.onDidChange(() => this.update()),
      model.onDidChange(() => this.update()),
      // a restarted server knows no sizes
      runner.onDidAttach(() => this.update(true)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.${SETTING}`)) this.update();
      }),
    ];
    if (runner.ready) this.update();
  }

  private update(restarted = false): void {
    if (restarted) this.current = undefined;
    void this.apply().catch((e: unknown) => {
      this.current = undefined;
      this.logs.error('reading table sizes to weigh findings by', e);
    });
  }

  private async apply(): Promise<void> {
    const round = ++this.round;
    const choice = this.connections.effective();
    const enabled = vscode.workspace.getConfiguration(CONFIG_SECTION).get<boolean>(SETTING, true);
    const wanted = enabled && !choice.scratch ? choice.id : undefined;
    if (wanted === this.current) return;
    const [folder] = wanted ? await this.folders.list() : [];
    if (round !== this.round) return;
    // no migration folder yet, or its status not read on this connection: asked again then
    if (wanted && (!folder || !this.model.get(choice, folder.root)?.status)) return;
    const params: WeighParams = {
      target: wanted && folder ? { folder: folder.root, connection: choice.wire } : null,
    };
    this.current = wanted;
    const r = await this.runner.request(RunnerWeighRequest, params);
    if (r.label)
      this.logs.client.info(`findings weighed by the sizes of ${r.tables} tables on ${r.label}`);
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
  }
}
