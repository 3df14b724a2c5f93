/** Entry point: builds the logs, the server controller, the status item and the commands. */
import * as vscode from 'vscode';
import { CONFIG_SECTION } from './constants';
import { registerCommands } from './commands';
import { Logs } from './logger';
import { registerMigrations, type MigrationsApi } from './migrations';
import { ServerController } from './serverController';
import { StatusItem } from './statusItem';

let controller: ServerController | undefined;

/** What activate returns: reached by tests through `extension.exports`. */
export interface PgmigApi {
  migrations: MigrationsApi;
}

export async function activate(context: vscode.ExtensionContext): Promise<PgmigApi> {
  const logs = new Logs();
  context.subscriptions.push(logs);
  try {
    logs.client.info(`pgmig ${context.extension.packageJSON.version} activating`);
    const server = new ServerController(context.extensionUri, logs);
    controller = server;
    const migrations = registerMigrations(context, logs, server);
    context.subscriptions.push(
      server,
      new StatusItem(server),
      ...registerCommands({ extensionUri: context.extensionUri, logs, server }),
      ...migrations.disposables,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${CONFIG_SECTION}.enable`)) void server.sync();
      }),
    );
    await server.sync();
    if (server.status.state === 'failed') {
      void vscode.window
        .showErrorMessage(
          `pgmig: the language server did not start. ${server.status.detail ?? ''}`,
          'Show Logs',
        )
        .then((choice) => choice && logs.server.show(true));
    }
    return { migrations: migrations.api };
  } catch (err) {
    // VS Code does not show activation failures to the user; say it, then let VS Code record it.
    logs.error('activation failed', err);
    void vscode.window.showErrorMessage(
      `pgmig could not activate: ${err instanceof Error ? err.message : String(err)}`,
    );
    throw err;
  }
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}
