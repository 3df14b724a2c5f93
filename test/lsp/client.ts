/**
 * A language client for the LSP test tier: spawns the BUILT server (dist/server.js, so run
 * `npm run build` first) over stdio and speaks JSON-RPC to it. It keeps the diagnostics the
 * server publishes, answers the server's requests (configuration, registration, showDocument)
 * and applies WorkspaceEdits to files on disk and to its open documents, as an editor would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const ROOT = join(__dirname, '../..');
export const SERVER = join(ROOT, 'dist/server.js');

export const uriOf = (path: string) => pathToFileURL(path).href;

export const FULL_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    publishDiagnostics: { versionSupport: true, relatedInformation: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      codeActionLiteralSupport: {
        codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] },
      },
    },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    foldingRange: {},
  },
  workspace: {
    configuration: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
    didChangeWatchedFiles: { dynamicRegistration: true },
  },
  window: { showDocument: { support: true } },
};

export interface StartOptions {
  root: string;
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** Answers workspace/configuration for section pgmig. */
  settings?: Record<string, unknown>;
  /** Extra arguments for node, before the server script. */
  args?: string[];
  /** Another entry than dist/server.js, with its arguments (e.g. dist/cli.js lsp). */
  command?: string[];
}

type Waiter = {
  test: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: PublishDiagnosticsParams) => void;
};

export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  readonly statuses: Array<{ state: string; detail?: string }> = [];
  readonly shownDocuments: string[] = [];
  readonly registrations: unknown[] = [];
  readonly docs = new Map<string, TextDocument>();
  settings: Record<string, unknown>;
  private waiters: Waiter[] = [];
  stderr = '';

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(opts: StartOptions): Promise<TestClient> {
    if (!existsSync(SERVER))
      throw new Error(`${SERVER} is missing: run \`npm run build\` before the LSP tests`);
    const entry = opts.command ?? [SERVER, '--stdio'];
    const child = spawn(process.execPath, [...(opts.args ?? []), ...entry], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // tests open small files: a short warm-up is enough
      env: { ...process.env, PGMIG_LSP_WARMUP_MS: process.env.PGMIG_LSP_WARMUP_MS ?? '50' },
    });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout),
      new StreamMessageWriter(child.stdin),
    );
    const client = new TestClient(child, connection, opts.settings ?? {});
    child.stderr.on('data', (d: Buffer) => {
      client.stderr = (client.stderr + d.toString()).slice(-20_000);
    });
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.diagnostics.set(p.uri, p);
      const ready = client.waiters.filter((w) => w.test(p));
      client.waiters = client.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(p);
    });
    connection.onNotification('window/logMessage', (p: { message: string }) =>
      client.logs.push(p.message),
    );
    connection.onNotification('pgmig/status', (p: { state: string; detail?: string }) =>
      client.statuses.push(p),
    );
    connection.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) => (i.section === 'pgmig' ? client.settings : null)),
    );
    connection.onRequest('client/registerCapability', (p: { registrations: unknown[] }) => {
      client.registrations.push(...p.registrations);
      return null;
    });
    connection.onRequest('window/showDocument', (p: { uri: string }) => {
      client.shownDocuments.push(p.uri);
      return { success: true };
    });
    connection.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      client.applyEdit(p.edit);
      return { applied: true };
    });
    connection.listen();
    const rootUri = uriOf(opts.root);
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'test' }],
      capabilities: opts.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: opts.initializationOptions,
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** Waits for a publish for `path` that satisfies `test` (the last one, if it already does). */
  diagnosticsFor(
    path: string,
    test: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<Diagnostic[]> {
    const uri = uriOf(path);
    const have = this.diagnostics.get(uri);
    if (have && test(have)) return Promise.resolve(have.diagnostics);
    return this.nextDiagnostics(path, test, timeoutMs);
  }

  /** Waits for the next publish for `path` that satisfies `test`, ignoring earlier ones. */
  nextDiagnostics(
    path: string,
    test: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<Diagnostic[]> {
    const uri = uriOf(path);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `no matching diagnostics for ${path} within ${timeoutMs} ms; last: ${JSON.stringify(this.diagnostics.get(uri)?.diagnostics.map((d) => d.code))}\nserver log:\n${this.logs.slice(-20).join('\n')}\n${this.stderr}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        test: (p) => p.uri === uri && test(p),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p.diagnostics);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Opens a document (its text from disk unless given) and returns the first diagnostics. */
  async open(path: string, text?: string): Promise<Diagnostic[]> {
    const content = text ?? readFileSync(path, 'utf8');
    const uri = uriOf(path);
    this.docs.set(uri, TextDocument.create(uri, 'sql', 1, content));
    const wait = this.nextDiagnostics(path, (p) => p.version === 1);
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'sql', version: 1, text: content },
    });
    return wait;
  }

  async close(path: string): Promise<void> {
    const uri = uriOf(path);
    this.docs.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  text(path: string): string {
    const doc = this.docs.get(uriOf(path));
    if (!doc) throw new Error(`${path} is not open`);
    return doc.getText();
  }

  version(path: string): number {
    return this.docs.get(uriOf(path))!.version;
  }

  /** Sends changes to an open document and returns the diagnostics for the new version. */
  async change(path: string, changes: TextDocumentContentChangeEvent[]): Promise<Diagnostic[]> {
    const uri = uriOf(path);
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`${path} is not open`);
    const version = doc.version + 1;
    TextDocument.update(doc, changes, version);
    const wait = this.nextDiagnostics(path, (p) => p.version === version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
    return wait;
  }

  /** Replaces the whole text of an open document. */
  setText(path: string, text: string): Promise<Diagnostic[]> {
    return this.change(path, [{ text }]);
  }

  codeActions(path: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const doc = this.docs.get(uriOf(path));
    const end = doc ? doc.positionAt(doc.getText().length) : { line: 0, character: 0 };
    const range =
      diagnostics.length === 1 && !only
        ? diagnostics[0].range
        : { start: { line: 0, character: 0 }, end };
    return this.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(path) },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  /**
   * Applies a WorkspaceEdit: edits of open documents change the documents (and are sent to the
   * server as didChange), other files change on disk, CreateFile creates on disk.
   */
  applyEdit(edit: WorkspaceEdit): { changedOpen: string[]; onDisk: string[] } {
    const changedOpen: string[] = [];
    const written = new Set<string>();
    const onDisk = { push: (p: string) => written.add(p) };
    const editFile = (
      uri: string,
      edits: Array<{
        range: {
          start: { line: number; character: number };
          end: { line: number; character: number };
        };
        newText: string;
      }>,
    ) => {
      const doc = this.docs.get(uri);
      if (doc) {
        const next = TextDocument.applyEdits(doc, edits);
        TextDocument.update(doc, [{ text: next }], doc.version + 1);
        changedOpen.push(uri);
        void this.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: doc.version },
          contentChanges: [{ text: next }],
        });
      } else {
        const path = fileURLToPath(uri);
        const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
        const d = TextDocument.create(uri, 'sql', 0, current);
        writeFileSync(path, TextDocument.applyEdits(d, edits));
        onDisk.push(path);
      }
    };
    for (const change of edit.documentChanges ?? []) {
      if ('kind' in change) {
        if (change.kind !== 'create')
          throw new Error(`unexpected resource operation ${change.kind}`);
        const path = fileURLToPath(change.uri);
        if (existsSync(path)) throw new Error(`${path} exists; CreateFile must not overwrite`);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, '');
        onDisk.push(path);
      } else editFile(change.textDocument.uri, change.edits);
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) editFile(uri, edits);
    return { changedOpen, onDisk: [...written] };
  }

  async fileEvents(events: Array<{ path: string; type: 1 | 2 | 3 }>): Promise<void> {
    await this.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: events.map((e) => ({ uri: uriOf(e.path), type: e.type })),
    });
  }

  /** Whether the server process is still running and answers a request. */
  async alive(): Promise<boolean> {
    if (this.process.exitCode !== null) return false;
    const r = await this.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: 'file:///nonexistent/alive-check.sql' },
    });
    return r === null || Array.isArray(r);
  }

  async stop(): Promise<void> {
    try {
      if (this.process.exitCode === null) {
        await Promise.race([
          this.connection.sendRequest('shutdown'),
          new Promise((r) => setTimeout(r, 5000)),
        ]);
        await this.connection.sendNotification('exit');
        await new Promise<void>((resolve) => {
          if (this.process.exitCode !== null) resolve();
          this.process.once('exit', () => resolve());
          setTimeout(resolve, 5000);
        });
      }
    } finally {
      this.connection.dispose();
      if (this.process.exitCode === null) this.process.kill();
    }
  }
}

/** The pgmig diagnostics with a given rule id. */
export function withCode(ds: Diagnostic[], code: string): Diagnostic[] {
  return ds.filter((d) => d.code === code);
}
