/**
 * The usual @vscode/test-electron entry. Desktop VS Code cannot be downloaded here, so the
 * "executable" is a shim that runs the same extension tests in code-server's extension host;
 * where desktop VS Code is available, set VSCODE_EXECUTABLE (or unset it to let test-electron
 * download one) and the suite runs unchanged.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { FIXTURES, ROOT } from '../harness/paths';

async function main(): Promise<void> {
  // The tests edit files: they get a copy of the fixture.
  const workspace = mkdtempSync(join(tmpdir(), 'pgmig-exthost-'));
  cpSync(join(FIXTURES, 'goose-workspace'), workspace, { recursive: true });
  const shim = join(__dirname, 'code-shim.js');
  try {
    await runTests({
      vscodeExecutablePath:
        process.env.VSCODE_EXECUTABLE === 'download'
          ? undefined
          : (process.env.VSCODE_EXECUTABLE ?? shim),
      // A downloaded VS Code is the oldest the manifest allows (engines.vscode), unless told.
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace],
    });
  } catch (err) {
    console.error('extension-host tests failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

void main();
