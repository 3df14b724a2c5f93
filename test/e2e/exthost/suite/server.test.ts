/** The language server through the client: diagnostics, fixes, restart and pgmig.enable. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../../harness/waitFor';

const INDEX_FILE = 'db/migrations/20240201090000_orders_user_idx.sql';
const RULE = 'require-concurrent-index-creation';

function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

function pgmigFindings(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'pgmig');
}

function finding(uri: vscode.Uri, timeout = 60_000): Promise<vscode.Diagnostic> {
  return waitFor(
    `a pgmig ${RULE} diagnostic on ${uri.path}`,
    () => pgmigFindings(uri).find((d) => codeOf(d) === RULE),
    { timeout },
  );
}

suite('pgmig language server in the extension host', () => {
  const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, INDEX_FILE);

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('pgmig.pgmig')!;
    const server = vscode.Uri.joinPath(ext.extensionUri, 'dist/server.js');
    await vscode.workspace.fs.stat(server).then(undefined, () => {
      throw new Error(`${server.fsPath} is not built: the language server tests need it`);
    });
    await vscode.window.showTextDocument(uri);
  });

  test('publishes a diagnostic with the rule id, its docs link and the statement range', async () => {
    const d = await finding(uri);
    assert.equal(d.range.start.line, 2, 'the CREATE INDEX on line 3');
    assert.ok(typeof d.code === 'object' && d.code.target, 'code links to the rule page');
    assert.match(d.code.target.toString(), new RegExp(RULE));
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('offers "Add CONCURRENTLY" as the preferred quick fix', async () => {
    const d = await finding(uri);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, `one preferred fix among ${actions.map((a) => a.title)}`);
    assert.match(preferred[0].title, /^Add CONCURRENTLY/);
    // "Show documentation" calls the client's command (initializationOptions), not a URL.
    const docs = actions.find((a) => a.command?.command === 'pgmig.openRuleDocs');
    assert.ok(docs, `a documentation action among ${actions.map((a) => a.title)}`);
    assert.deepEqual(docs.command!.arguments, [RULE]);
  });

  test('pgmig.restartServer brings the server back with its diagnostics', async () => {
    await vscode.commands.executeCommand('pgmig.restartServer');
    // Stopping cleared the old diagnostics: these come from the new server.
    await finding(uri);
  });

  test('pgmig.enable = false stops the server; true starts it again', async () => {
    const config = vscode.workspace.getConfiguration('pgmig');
    await config.update('enable', false, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('the diagnostics to go', () => pgmigFindings(uri).length === 0);
    } finally {
      await config.update('enable', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await finding(uri);
  });
});
