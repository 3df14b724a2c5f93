/**
 * Lock tracing and round-trip verification in the editor (protocol/trace.ts): the requests, the
 * measured result in the statement hover, and verification findings as diagnostics on the DOWN
 * sections. Both are forgotten as soon as the file's text changes, since their ranges and
 * measurements describe the text that was traced.
 */
import type { Connection, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { FileDiagnostics } from '../protocol/trace';
import { registerTraceHandlers } from '../trace/lspHandlers';
import type { ServerExtension } from './extensions';
import { pathOfUri, uriOfPath } from './uris';
import type { Workspace } from './workspace';

export const traceRequests: ServerExtension = ({ connection, workspace, hoverNotes }) => {
  const verify = new VerifyDiagnostics(connection, workspace);
  const handlers = registerTraceHandlers(connection, {
    onVerifyDiagnostics: (byFile) => verify.set(byFile),
  });
  hoverNotes.push((path, position) => handlers.store.hoverAt(path, position));
  // opening a file is no edit: only a text that differs from the one last seen forgets
  const seen = new Map<string, string>();
  const opened = workspace.documents.onDidOpen((e) => {
    const path = pathOfUri(e.document.uri);
    if (path) seen.set(path, e.document.getText());
  });
  const changed = workspace.documents.onDidChangeContent((e) => {
    const path = pathOfUri(e.document.uri);
    if (!path) return;
    const text = e.document.getText();
    const before = seen.get(path);
    seen.set(path, text);
    if (before === undefined || before === text) return;
    handlers.store.forget(path);
    verify.forget(path);
  });
  const closed = workspace.documents.onDidClose((e) => {
    const path = pathOfUri(e.document.uri);
    if (path) seen.delete(path);
  });
  return {
    dispose: () => {
      for (const d of [opened, changed, closed]) d.dispose();
      handlers.dispose();
    },
  };
};

/**
 * An editor keeps one list of diagnostics per file and each publish replaces it, while the
 * linter publishes its own findings for a file on every lint. So the verification findings of a
 * file ride along with every other publish for it, and are published with the last list the
 * linter sent when they change: neither clobbers the other.
 */
class VerifyDiagnostics {
  /** By URI: what the rest of the server published last, and this file's findings. */
  private readonly others = new Map<string, PublishDiagnosticsParams>();
  private readonly findings = new Map<string, { path: string; list: Diagnostic[] }>();
  private readonly send: (p: PublishDiagnosticsParams) => Promise<void>;

  constructor(
    connection: Connection,
    private readonly ws: Workspace,
  ) {
    this.send = connection.sendDiagnostics.bind(connection);
    connection.sendDiagnostics = (p) => {
      this.others.set(p.uri, p);
      const mine = this.findings.get(p.uri)?.list ?? [];
      return this.send(mine.length === 0 ? p : { ...p, diagnostics: [...p.diagnostics, ...mine] });
    };
  }

  set(byFile: FileDiagnostics[]): void {
    for (const { file, diagnostics } of byFile) {
      const uri = this.ws.uriOf(file) ?? uriOfPath(file);
      this.findings.set(uri, { path: file, list: diagnostics });
      this.publish(uri);
    }
  }

  /** The ranges no longer match the text: the findings go until the next verification. */
  forget(path: string): void {
    for (const [uri, f] of this.findings)
      if (f.path === path) {
        this.findings.delete(uri);
        this.publish(uri);
      }
  }

  private publish(uri: string): void {
    const other = this.others.get(uri);
    const mine = this.findings.get(uri)?.list ?? [];
    void this.send({
      uri,
      // the version belongs to the linter's list; ours were computed on the text as it is now
      ...(other?.version !== undefined ? { version: other.version } : {}),
      diagnostics: [...(other?.diagnostics ?? []), ...mine],
    }).catch(() => undefined);
  }
}
