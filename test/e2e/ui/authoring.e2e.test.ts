/**
 * The packaged extension in a real VS Code: diagnostics, quick fixes (single- and multi-file),
 * hover and snippets, driven through the workbench the way a user would. One VS Code serves
 * every step; each step works on its own migration of the fixture, and saves a screenshot.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, packagedVsix } from '../harness/paths';
import {
  applyQuickFix,
  closeActiveEditor,
  dismissAll,
  editorText,
  goTo,
  hoverText,
  openFile,
  panelText,
  problemRows,
  quickFixTitles,
  runCommand,
  waitForProblem,
} from '../harness/ui';
import { useVSCode } from '../harness/suite';
import type { VSCode } from '../harness/vscode';
import { waitFor } from '../harness/waitFor';

const MIGRATIONS = 'db/migrations';
const INDEX_FILE = `${MIGRATIONS}/20240201090000_orders_user_idx.sql`;
const FK_FILE = `${MIGRATIONS}/20240301090000_orders_user_fk.sql`;
const FIXTURE = join(FIXTURES, 'goose-workspace');

describe('pgmig in a real VS Code (code-server 4.100.3 + Chromium, packaged .vsix)', () => {
  let vs: VSCode;
  const disk = (rel: string) => readFileSync(join(vs.workspace!, rel), 'utf8');

  useVSCode(
    {
      name: 'authoring',
      install: 'vsix',
      vsix: packagedVsix(),
      workspaceFixture: FIXTURE,
      openFile: INDEX_FILE,
    },
    (started) => (vs = started),
  );

  // Each step starts from a quiet workbench even when the previous one failed half-way.
  afterEach(async () => {
    if (vs) await dismissAll(vs.page);
  });

  it('activates from the .vsix and shows the server ready in the status bar', async () => {
    // VS Code prefixes the item's id with the extension's id.
    const item = vs.page.locator('[id="pgmig.pgmig.pgmig.status"]');
    await waitFor(
      'the pgmig status item to say the server is ready',
      async () => {
        const label = (await item.getAttribute('aria-label')) ?? (await item.innerText());
        return /language server ready$/.test(label) ? label : undefined;
      },
      { timeout: 60_000 },
    );
    vs.mark('serverReady');
    await vs.screenshot('1-status');
  });

  it('shows pgmig diagnostics with rule codes in the Problems panel', async () => {
    const row = await waitForProblem(vs.page, ['pgmig', 'require-concurrent-index-creation']);
    expect(row).toMatch(/without CONCURRENTLY/);
    vs.mark('diagnostics');
    // pgmig.json in the fixture turns require-lock-timeout off: the server reads it.
    expect((await problemRows(vs.page)).some((r) => r.includes('require-lock-timeout'))).toBe(
      false,
    );
    await vs.screenshot('2-problems');
  });

  it('hover on a statement shows the lock it takes and on which table', async () => {
    await openFile(vs.page, FK_FILE);
    await goTo(vs.page, 2, 3);
    // The lock table of pgmig's statement hover (the diagnostics' hovers name locks too).
    const text = await hoverText(vs.page, /Blocks writes/);
    expect(text).toMatch(/orders\s+SHARE ROW EXCLUSIVE/);
    expect(text).toMatch(/users\s+SHARE ROW EXCLUSIVE/);
    await vs.screenshot('3-hover');
  });

  it('"Show documentation" opens the rule page shipped with the extension', async () => {
    const rule = 'require-concurrent-index-creation';
    await openFile(vs.page, INDEX_FILE);
    await goTo(vs.page, 3, 1);
    await quickFixTitles(vs.page, `Show documentation for ${rule}`);
    await applyQuickFix(vs.page, `Show documentation for ${rule}`);
    await vs.page
      .locator('.tabs-container .tab.active', { hasText: `${rule}.md` })
      .waitFor({ timeout: 30_000 });
    // The preview is a webview: its page sits two frames down.
    const heading = vs.page
      .frameLocator('iframe.webview.ready')
      .frameLocator('iframe#active-frame')
      .locator('h1');
    await waitFor('the rule page heading', async () => (await heading.innerText()).includes(rule));
    await vs.screenshot('4-rule-docs');
    await closeActiveEditor(vs.page);
  });

  it('"Add CONCURRENTLY" changes the text and clears the diagnostic', async () => {
    await openFile(vs.page, INDEX_FILE);
    await goTo(vs.page, 3, 1);
    const titles = await quickFixTitles(vs.page, 'Add CONCURRENTLY');
    expect(titles.some((t) => t.startsWith('Disable require-concurrent-index-creation'))).toBe(
      true,
    );
    await vs.screenshot('5-quick-fix-menu');
    await applyQuickFix(vs.page, 'Add CONCURRENTLY');
    await waitFor('the editor to show CREATE INDEX CONCURRENTLY', async () =>
      (await editorText(vs.page)).includes('CREATE INDEX CONCURRENTLY orders_user_id_idx'),
    );
    await waitFor('require-concurrent-index-creation to leave the Problems panel', async () =>
      (await problemRows(vs.page)).every((r) => !r.includes('require-concurrent-index-creation')),
    );
    await vs.screenshot('6-concurrently-applied');
    await runCommand(vs.page, 'File: Save All Files');
    await waitFor('the fix to be saved', () =>
      disk(INDEX_FILE).includes('CREATE INDEX CONCURRENTLY orders_user_id_idx'),
    );
    // CONCURRENTLY cannot run in goose's default transaction: the fix opts the file out.
    expect(disk(INDEX_FILE)).toMatch(/-- \+goose NO TRANSACTION/);
  });

  it('the NOT VALID + VALIDATE fix creates the follow-up migration', async () => {
    const before = new Set(readdirSync(join(vs.workspace!, MIGRATIONS)));
    await openFile(vs.page, FK_FILE);
    await goTo(vs.page, 2, 30);
    await quickFixTitles(vs.page, 'in a new migration');
    await vs.screenshot('7-multi-file-fix-menu');
    await applyQuickFix(vs.page, 'Add NOT VALID');
    const created = await waitFor('a new migration file on disk', () => {
      const added = readdirSync(join(vs.workspace!, MIGRATIONS)).filter((f) => !before.has(f));
      return added.length ? added : undefined;
    });
    expect(created).toHaveLength(1);
    expect(created[0] > '20240301090000').toBe(true);
    await runCommand(vs.page, 'File: Save All Files');
    const followUp = `${MIGRATIONS}/${created[0]}`;
    await waitFor('the follow-up migration to hold VALIDATE CONSTRAINT', () =>
      disk(followUp).includes('VALIDATE CONSTRAINT orders_user_id_fkey'),
    );
    expect(disk(FK_FILE)).toMatch(/REFERENCES users \(id\) NOT VALID/);
    await waitFor('the foreign-key findings to leave the Problems panel', async () =>
      (await problemRows(vs.page)).every(
        (r) =>
          !r.includes('adding-foreign-key-constraint') &&
          !r.includes('constraint-missing-not-valid'),
      ),
    );
    await vs.screenshot('8-follow-up-migration');
  });

  it('a snippet expands', async () => {
    const rel = `${MIGRATIONS}/20240501090000_widgets_created_at_idx.sql`;
    writeFileSync(join(vs.workspace!, rel), '-- +goose NO TRANSACTION\n-- +goose Up\n');
    expect(existsSync(join(vs.workspace!, rel))).toBe(true);
    await openFile(vs.page, rel);
    await goTo(vs.page, 3, 1);
    await vs.page.keyboard.type('pgmig-create-index');
    const suggestion = vs.page.locator('.suggest-widget .monaco-list-row.focused', {
      hasText: 'pgmig-create-index',
    });
    // typing fast can close the widget at a "-": ask for suggestions again from the editor
    // (Ctrl+Space keeps the editor's focus, which a palette command would have to win back)
    await waitFor(
      'the snippet suggestion',
      async () => {
        if (await suggestion.isVisible()) return true;
        if (!(await vs.page.locator('.suggest-widget.visible').isVisible()))
          await vs.page.keyboard.press('Control+Space');
        return undefined;
      },
      { timeout: 90_000, interval: 1_000 },
    );
    await vs.screenshot('9-snippet-suggestion');
    await vs.page.keyboard.press('Enter');
    await waitFor('the expanded snippet', async () =>
      (await editorText(vs.page)).includes(
        'CREATE INDEX CONCURRENTLY widgets_created_at_idx ON widgets (created_at);',
      ),
    );
    await vs.screenshot('10-snippet-expanded');
  });

  it('restarts from the palette; the status item opens the server log', async () => {
    const starts = () =>
      (
        vs
          .channelLog('pgmig.pgmig', 'pgmig Language Server')
          .match(/language server: parser loaded/g) ?? []
      ).length;
    const before = starts();
    expect(before).toBeGreaterThan(0);
    await runCommand(vs.page, 'pgmig: Restart Language Server');
    await waitFor('a second server start in its log', () => starts() > before);
    const item = vs.page.locator('[id="pgmig.pgmig.pgmig.status"]');
    await waitFor('the status item to say ready', async () =>
      /language server ready$/.test((await item.getAttribute('aria-label')) ?? ''),
    );
    await item.click();
    await waitFor('the server log in the Output panel', async () =>
      /language server: parser loaded/.test(await panelText(vs.page)),
    );
    await vs.screenshot('11-server-log');
  });
});
