/**
 * Trace and verify reports as read-only markdown documents: a virtual document per report (no
 * untitled buffer asking to be saved on close), its text kept until the editor closes it.
 */
import * as vscode from 'vscode';

export const REPORT_SCHEME = 'pgmig-report';

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions = [
    this.changed,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === REPORT_SCHEME) this.texts.delete(d.uri.toString());
    }),
  ];

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(uri.toString()) ?? 'This report is no longer available: run the command again.'
    );
  }

  /** Shows a report beside the migration; the same title replaces the earlier report. */
  async show(title: string, text: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({
      scheme: REPORT_SCHEME,
      path: `/${title.replace(/[\\/:*?"<>|]/g, '_')}.md`,
    });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, {
      viewColumn: vscode.ViewColumn.Beside,
      preview: true,
    });
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
    this.texts.clear();
  }
}
