/**
 * How the language server is started and which documents it sees. The server is the bundled
 * dist/server.js run as a Node module over IPC; it decides itself which SQL files belong to a
 * migration folder, so every SQL file on disk is synchronised and the server ignores the rest.
 */
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import {
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import type { PgmigInitializationOptions } from '../../server/src/protocol/server';
import { CLIENT_ID, CLIENT_NAME, Commands, CONFIG_SECTION, SERVER_MODULE } from './constants';
import type { Logs } from './logger';
import { UserFacingError } from './util/commandError';

/**
 * Files whose creation, change or deletion can change another migration's findings; the client
 * reports them (clientWatchesFiles), so the server sets up no watchers of its own.
 */
export const WATCHED_FILES = '**/{*.sql,pgmig.json,.squawk.toml,sqitch.plan,_journal.json}';

export function createLanguageClient(
  extensionUri: vscode.Uri,
  logs: Logs,
  watcher: vscode.FileSystemWatcher,
): LanguageClient {
  const module = vscode.Uri.joinPath(extensionUri, SERVER_MODULE).fsPath;
  if (!existsSync(module)) {
    throw new UserFacingError(
      `the language server is missing (${module}). Reinstall the extension or run \`npm run build\`.`,
    );
  }
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6011'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'sql' }],
    synchronize: { configurationSection: CONFIG_SECTION, fileEvents: watcher },
    initializationOptions: {
      // "Show documentation" opens the page shipped in the extension, which works offline.
      showDocumentationCommand: Commands.openRuleDocs,
      clientWatchesFiles: true,
    } satisfies PgmigInitializationOptions,
    outputChannel: logs.server,
    traceOutputChannel: logs.trace,
    // The status item turns red on failure; popping the output open on every server warning
    // would steal focus while typing.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationFailedHandler: (err) => {
      logs.error('language server initialization failed', err);
      return false;
    },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
