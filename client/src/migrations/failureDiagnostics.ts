/**
 * A statement that failed in a run, as a diagnostic where it came from, with PostgreSQL's message,
 * SQLSTATE and hint. Failures of the last run stay until the next run of that folder or an edit
 * of the file; failed (dirty) migrations in the selected connection's status stay until resolved.
 */
import * as vscode from 'vscode';
import type { WireFailure } from '../../../server/src/protocol/runner';

const SOURCE = 'pgmig run';

export class FailureDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('pgmig-run');
  /** By folder root: the last run's failure, and the failed entries of the status. */
  private readonly fromRuns = new Map<string, WireFailure[]>();
  private readonly fromStatus = new Map<string, WireFailure[]>();
  private readonly subscription = vscode.workspace.onDidChangeTextDocument((e) => {
    // the range no longer points at the statement once the file is edited
    if (!e.contentChanges.length || !this.collection.has(e.document.uri)) return;
    const file = e.document.uri.fsPath;
    for (const map of [this.fromRuns, this.fromStatus])
      for (const [root, list] of map)
        map.set(
          root,
          list.filter((f) => f.file !== file),
        );
    this.render();
  });

  /** A run of `root` starts: its previous failure is old news. */
  runStarted(root: string): void {
    this.fromRuns.delete(root);
    this.render();
  }

  runFailed(root: string, failure: WireFailure): void {
    this.fromRuns.set(root, [failure]);
    this.render();
  }

  /** Failed migrations of the selected connection's status for `root`. */
  statusFailures(root: string, failures: WireFailure[]): void {
    this.fromStatus.set(root, failures);
    this.render();
  }

  private render(): void {
    this.collection.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const seen = new Set<string>();
    for (const list of [...this.fromRuns.values(), ...this.fromStatus.values()])
      for (const f of list) {
        if (!f.file) continue;
        const d = toDiagnostic(f);
        const key = `${f.file}:${d.range.start.line}:${f.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        byFile.set(f.file, [...(byFile.get(f.file) ?? []), d]);
      }
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), list);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}

export function toDiagnostic(f: WireFailure): vscode.Diagnostic {
  const range = f.range
    ? new vscode.Range(
        f.range.start.line,
        f.range.start.character,
        f.range.end.line,
        f.range.end.character,
      )
    : new vscode.Range(f.line ?? 0, f.character ?? 0, f.line ?? 0, Number.MAX_SAFE_INTEGER);
  const parts = [f.message];
  if (f.detail) parts.push(`Detail: ${f.detail}`);
  if (f.hint) parts.push(`Hint: ${f.hint}`);
  const d = new vscode.Diagnostic(range, parts.join('\n'), vscode.DiagnosticSeverity.Error);
  d.source = SOURCE;
  if (f.code) d.code = f.code;
  return d;
}
