/** The client at the vscode API level: activation, commands, documentation pages. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../../harness/waitFor';

const EXTENSION_ID = 'pgmig.pgmig';

function allTabs(): readonly vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

suite('pgmig client', () => {
  test('activates on its own in a workspace with a migration folder', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    // workspaceContains activates it; the test does not call activate().
    await waitFor('the extension to activate', () => ext.isActive, { timeout: 60_000 });
  });

  test('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map(
      (c) => c.command,
    );
    for (const id of ['pgmig.restartServer', 'pgmig.showLogs', 'pgmig.openRuleDocs'])
      assert.ok(contributed.includes(id), `${id} is contributed`);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of contributed) assert.ok(registered.has(id), `${id} is registered`);
  });

  test('pgmig.openRuleDocs opens the rule page shipped with the extension', async () => {
    const rule = 'require-concurrent-index-creation';
    await vscode.commands.executeCommand('pgmig.openRuleDocs', rule);
    const tab = await waitFor('a tab with the rule page', () =>
      allTabs().find((t) => t.label.includes(rule)),
    );
    assert.ok(
      tab.input instanceof vscode.TabInputWebview || tab.input instanceof vscode.TabInputText,
    );
    await vscode.window.tabGroups.close(tab);
  });

  test('a bad argument is reported by the error wrapper, not thrown at the caller', async () => {
    const before = allTabs().length;
    const result = await vscode.commands.executeCommand('pgmig.openRuleDocs', '../../etc/passwd');
    assert.equal(result, undefined);
    assert.equal(allTabs().length, before, 'nothing opened');
    assert.equal(await vscode.commands.executeCommand('pgmig.showLogs', 'nonsense'), undefined);
  });
});
