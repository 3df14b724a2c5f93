/**
 * The pgmig language server: wires the LSP handlers to the workspace model, the lint scheduler
 * and the features (code actions, hover, outline). Every handler goes through the one error
 * wrapper (guard.ts), so a bad request or a bug in one feature never stops the server.
 */
import { existsSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { version } from '../../../package.json';
import { initParser } from '../parser/parse';
import { SHOW_DOCUMENTATION_COMMAND, type PgmigInitializationOptions } from '../protocol/server';
import { codeActions, FIX_ALL_KIND } from './codeActions';
import { asFixData, fixAllInMigration } from './fixAll';
import { executeCommand, SERVER_COMMANDS } from './commands';
import { disableFixes, SOURCE } from './diagnostics';
import { sourceFile } from '../folder/format';
import type { SourceFile } from '../folder/model';
import { fetchSettings, sanitizeSettings } from './editorSettings';
import { SERVER_EXTENSIONS, type HoverNote } from './extensions';
import { BadParams, describeError, guardNotification, guardRequest, type Log } from './guard';
import { hover } from './hover';
import { Linter } from './linting';
import { keepHeapSmall } from './memory';
import { documentSymbols, foldingRanges } from './outline';
import { StatusReporter } from './status';
import { pathOfUri, requirePosition, requireUri, uriOfPath } from './uris';
import { warmUp } from './warmup';
import { filesChanged, FolderWatcher } from './watchedFiles';
import { diskText, EditBuilder } from './workspaceEdit';
import { Workspace } from './workspace';

/** Lints slower than this are logged with their timing. */
const SLOW_LINT_MS = 1000;

/** Time the server spends warming up before it answers `initialize` (PGMIG_LSP_WARMUP_MS). */
const WARM_UP_MS = Number(process.env.PGMIG_LSP_WARMUP_MS ?? 400);

function connectionLog(connection: Connection): Log {
  return {
    error: (m) => connection.console.error(m),
    warn: (m) => connection.console.warn(m),
    info: (m) => connection.console.info(m),
  };
}

function initOptions(raw: unknown): PgmigInitializationOptions {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  return {
    showDocumentationCommand:
      typeof o.showDocumentationCommand === 'string' ? o.showDocumentationCommand : undefined,
    clientWatchesFiles: o.clientWatchesFiles === true,
    settings: o.settings && typeof o.settings === 'object' ? o.settings : undefined,
  };
}

export function startServer(connection: Connection): void {
  keepHeapSmall();
  const log = connectionLog(connection);
  const documents = new TextDocuments(TextDocument);
  const ws = new Workspace(documents, log);
  const status = new StatusReporter(connection);
  const linter = new Linter(ws, connection, log, status);
  const watcher = new FolderWatcher(log, (events) => filesChanged(ws, linter, log, events));
  // slow lints are worth a line in the log; PGMIG_LSP_TIMING=1 logs every one (bench:lsp)
  const logEvery = process.env.PGMIG_LSP_TIMING === '1';
  linter.onLinted = (t) => {
    if (!logEvery && t.ms < SLOW_LINT_MS) return;
    const ms = (x: number) => x.toFixed(1);
    const mb = (bytes: number) => Math.round(bytes / 1e6);
    log.info(
      `timing ${t.path}: ${t.statements} statements, ${t.findings} findings in ${ms(t.ms)} ms (load ${ms(t.loadMs)}, engine ${ms(t.engineMs)}, publish ${ms(t.publishMs)}); heap ${mb(process.memoryUsage().heapUsed)} MB, rss ${mb(process.memoryUsage().rss)} MB`,
    );
  };
  let capabilities: ClientCapabilities = {};
  let options: PgmigInitializationOptions = {};
  const publishedConfigErrors = new Set<string>();
  const hoverNotes: HoverNote[] = [];

  linter.onIdle = () => {
    const errors = ws.configs.errors();
    for (const [file, message] of errors) {
      void connection.sendDiagnostics({
        uri: uriOfPath(file),
        diagnostics: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
            severity: DiagnosticSeverity.Error,
            source: SOURCE,
            message: `${message} (pgmig lints with the default settings until this is fixed)`,
          },
        ],
      });
      publishedConfigErrors.add(file);
    }
    for (const file of [...publishedConfigErrors])
      if (!errors.has(file)) {
        void connection.sendDiagnostics({ uri: uriOfPath(file), diagnostics: [] });
        publishedConfigErrors.delete(file);
      }
    const first = [...errors][0];
    status.setError(first ? `${first[0]}: ${first[1]}` : undefined);
  };

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    capabilities = params?.capabilities ?? {};
    options = initOptions(params?.initializationOptions);
    if (options.settings) ws.editor = sanitizeSettings(options.settings);
    ws.workspaceRoots = (params?.workspaceFolders ?? [])
      .map((f) => pathOfUri(f.uri))
      .filter((p): p is string => !!p);
    const root = pathOfUri(params?.rootUri);
    if (ws.workspaceRoots.length === 0 && root) ws.workspaceRoots = [root];
    await initParser();
    try {
      const rounds = warmUp(WARM_UP_MS);
      log.info(`pgmig ${version} language server: parser loaded, warmed up (${rounds} rounds)`);
    } catch (e) {
      log.error(`warm-up failed (the server works, only slower at first): ${describeError(e)}`);
    }
    return {
      capabilities: {
        textDocumentSync: {
          openClose: true,
          change: TextDocumentSyncKind.Incremental,
        },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND],
        },
        executeCommandProvider: { commands: SERVER_COMMANDS },
        hoverProvider: true,
        documentSymbolProvider: { label: 'pgmig' },
        foldingRangeProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'pgmig', version },
    };
  });

  connection.onInitialized(
    guardNotification(log, 'initialized', async () => {
      status.send('starting', 'reading settings');
      try {
        ws.editor = await fetchSettings(connection, capabilities, options.settings ?? ws.editor);
      } catch (e) {
        log.warn(`cannot read the pgmig.* settings, using the defaults: ${describeError(e)}`);
      } finally {
        status.idle();
        linter.start();
      }
      if (capabilities.workspace?.workspaceFolders)
        connection.workspace.onDidChangeWorkspaceFolders(
          guardNotification(log, 'workspace folders', (e) => {
            const removed = new Set(e.removed.map((f) => pathOfUri(f.uri)));
            ws.workspaceRoots = [
              ...ws.workspaceRoots.filter((r) => !removed.has(r)),
              ...e.added.map((f) => pathOfUri(f.uri)).filter((p): p is string => !!p),
            ];
            ws.reset();
            linter.all();
          }),
        );
      const dynamicWatch = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
      if (options.clientWatchesFiles) return;
      if (dynamicWatch) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [
            { globPattern: '**/*.sql' },
            { globPattern: '**/{pgmig.json,.squawk.toml,sqitch.plan,_journal.json}' },
          ],
        });
      } else {
        ws.onFolderLoaded = (root) => watcher.watch(root);
        for (const state of ws.folderStates()) watcher.watch(state.root);
        log.info('the client does not watch files: watching migration folders with fs.watch');
      }
    }),
  );

  documents.onDidOpen(
    guardNotification(log, 'didOpen', (e) => {
      const path = ws.opened(e.document.uri);
      if (path) linter.changed(path, true, 0);
    }),
  );
  documents.onDidChangeContent(
    guardNotification(log, 'didChange', (e) => {
      const path = pathOfUri(e.document.uri);
      if (path && ws.uriOf(path)) linter.changed(path, true);
    }),
  );
  documents.onDidClose(
    guardNotification(log, 'didClose', (e) => {
      const path = ws.closed(e.document.uri);
      if (!path) return;
      linter.closed(path);
      // the file on disk replaces the buffer in its folder's model
      const state = ws.folderHolding(path);
      if (state?.migrationIndexOf(path) !== undefined) {
        const index = state.update(path, ws.overlay());
        for (const p of ws.openDocumentPaths()) {
          const i = state.migrationIndexOf(p);
          if (i !== undefined && (index === undefined || i >= index)) linter.changed(p, false);
        }
      }
    }),
  );

  connection.onDidChangeWatchedFiles(
    guardNotification(log, 'didChangeWatchedFiles', (params) => {
      if (!Array.isArray(params?.changes)) throw new BadParams('changes must be an array');
      filesChanged(ws, linter, log, params.changes);
    }),
  );

  connection.onDidChangeConfiguration(
    guardNotification(log, 'didChangeConfiguration', async (params) => {
      const pushed = (params?.settings as Record<string, unknown> | undefined)?.pgmig;
      ws.editor = await fetchSettings(connection, capabilities, pushed ?? ws.editor);
      ws.reset();
      linter.all();
    }),
  );

  const editBuilder = () =>
    new EditBuilder(
      (uri) => {
        const doc = documents.get(uri);
        return doc ? { text: doc.getText(), version: doc.version } : diskText(uri);
      },
      {
        documentChanges: !!capabilities.workspace?.workspaceEdit?.documentChanges,
        createFiles:
          !!capabilities.workspace?.workspaceEdit?.resourceOperations?.includes('create'),
      },
    );

  /** The folder model of an open document, with its pending edits applied first. */
  const placementOf = (uri: string) => {
    const path = pathOfUri(uri);
    const doc = documents.get(uri);
    if (!path || !doc || ws.documentProblem(doc)) return undefined;
    linter.flush(path);
    const placement = ws.placement(path);
    const file = placement?.state.file(path);
    return placement && file ? { ...placement, file, doc } : undefined;
  };

  connection.onCodeAction(
    guardRequest(log, 'codeAction', (params) => {
      const uri = requireUri(params);
      const doc = documents.get(uri);
      const exists = (u: string) => !!documents.get(u) || diskText(u) !== undefined;
      let file: SourceFile | undefined;
      const edits = editBuilder();
      return codeActions(params, {
        version: doc ? doc.version : null,
        edits,
        docsCommand: options.showDocumentationCommand ?? SHOW_DOCUMENTATION_COMMAND,
        exists,
        disable: (rule, position) => {
          const path = pathOfUri(uri);
          if (!doc || !path) return [];
          // one index of the document per request, however many diagnostics it has
          file ??= sourceFile(path, doc.getText());
          return disableFixes(file, file.index.offsetAt(position), rule);
        },
        fixAll: () => {
          const p = placementOf(uri);
          if (!p) return undefined;
          const texts = new Map<string, string>();
          for (const f of p.state.migration(p.index).files) {
            const open = ws.document(f.path);
            if (open) texts.set(f.path, open.getText());
          }
          const canCreate = edits.canCreate;
          const result = fixAllInMigration(p.state, p.index, texts, (path) =>
            canCreate ? existsSync(path) || !!ws.document(path) : true,
          );
          return asFixData(
            result,
            (path) => texts.get(path) ?? p.state.file(path)?.text ?? '',
            (path) => ws.uriOf(path) ?? uriOfPath(path),
          );
        },
      });
    }),
  );

  connection.onHover(
    guardRequest(log, 'hover', (params) => {
      const uri = requireUri(params);
      const position = requirePosition(params.position);
      const p = placementOf(uri);
      if (!p) return null;
      const offset = p.file.index.offsetAt(position);
      const markdown =
        capabilities.textDocument?.hover?.contentFormat?.includes('markdown') ?? true;
      const notes = hoverNotes.flatMap((n) => n(p.file.path, position) ?? []);
      return hover(p.state, p.index, p.file, offset, ws.editor.docsBaseUrl, markdown, notes);
    }),
  );

  connection.onDocumentSymbol(
    guardRequest(log, 'documentSymbol', (params) => {
      const p = placementOf(requireUri(params));
      if (!p) return null;
      const sections = p.state
        .migration(p.index)
        .sections.filter((s) => s.file.path === p.file.path);
      return documentSymbols(p.file, sections);
    }),
  );

  connection.onFoldingRanges(
    guardRequest(log, 'foldingRange', (params) => {
      const p = placementOf(requireUri(params));
      if (!p) return null;
      const sections = p.state
        .migration(p.index)
        .sections.filter((s) => s.file.path === p.file.path);
      return foldingRanges(p.file, sections);
    }),
  );

  connection.onExecuteCommand(
    guardRequest(log, 'executeCommand', (params) =>
      executeCommand(
        connection,
        params?.command,
        params?.arguments,
        ws.editor.docsBaseUrl,
        !!capabilities.window?.showDocument?.support,
      ),
    ),
  );

  const extensions = SERVER_EXTENSIONS.map((extension) =>
    extension({ connection, workspace: ws, log, hoverNotes, relintAll: () => linter.all() }),
  );

  connection.onShutdown(async () => {
    watcher.dispose();
    linter.dispose();
    await Promise.all(
      extensions.map((e) =>
        Promise.resolve(e?.dispose()).catch((err: unknown) =>
          log.error(`shutdown: ${describeError(err)}`),
        ),
      ),
    );
  });

  documents.listen(connection);
  connection.listen();
}
