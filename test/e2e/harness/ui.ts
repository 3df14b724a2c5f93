/**
 * Workbench gestures for the e2e tests, each waiting for the state it leads to. The selectors are
 * VS Code 1.100's DOM (code-server 4.100.x), the version the tier pins.
 */
import type { Locator, Page } from 'playwright-core';
import { waitFor } from './waitFor';

/** Runs a palette command by its full title, pressing Enter only once it is the focused entry. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await quickInput(page, `>${title}`, title);
}

/**
 * Starts a palette command whose own quick pick or input box follows in the same widget, so the
 * widget does not close in between.
 */
export async function startCommand(page: Page, title: string): Promise<void> {
  await quickInput(page, `>${title}`, title, false);
}

/**
 * Opens a workspace file through Quick Open and waits until its editor is the active one. F1 then
 * a text without ">" is Quick Open; Chromium keeps Ctrl+P for itself when the page lacks focus.
 */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.split('/').pop() ?? relativePath;
  await quickInput(page, relativePath, name);
  await activeTab(page, name).waitFor({ timeout: 15_000 });
  await editorLines(page).first().waitFor();
}

/**
 * Types `text` into the F1 quick input and accepts once the focused entry shows `expect`. A
 * workbench that is still restoring editors can steal focus, which closes the input: retry then.
 */
async function quickInput(page: Page, text: string, expect?: string, closes = true): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(text, { timeout: 5_000 });
    } catch (e) {
      // the input closed between showing and typing (focus taken by a hover or a restoring editor)
      if (attempt === attempts) throw e;
      continue;
    }
    if (expect === undefined) break;
    const entry = widget.locator('.monaco-list-row.focused', { hasText: expect }).first();
    const state = await waitFor(
      `"${expect}" as the focused quick-input entry`,
      async () => {
        if (await entry.isVisible()) return 'shown';
        return (await widget.isVisible()) ? undefined : 'closed';
      },
      { timeout: 15_000, interval: 100 },
    );
    if (state === 'shown') break;
    if (attempt === attempts)
      throw new Error(`the quick input closed ${attempts} times before "${expect}" showed`);
  }
  await page.keyboard.press('Enter');
  if (closes) await widget.waitFor({ state: 'hidden' });
}

export function activeTab(page: Page, name: string): Locator {
  return page.locator('.tabs-container .tab.active', { hasText: name });
}

function editorLines(page: Page): Locator {
  return page.locator('.editor-instance .monaco-editor .view-lines');
}

/** Text of the active editor's rendered lines (the fixtures are short enough to be all visible). */
export async function editorText(page: Page): Promise<string> {
  const lines = await page
    .locator('.editor-group-container.active .monaco-editor .view-lines .view-line')
    .evaluateAll((els) =>
      els
        .map((el) => ({
          top: parseFloat((el as HTMLElement).style.top) || 0,
          text: el.textContent ?? '',
        }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
  return lines.join('\n').replace(/\u00a0/g, ' ');
}

/** Text of the bottom panel's editor (the Output view), spaces normalised. */
export async function panelText(page: Page): Promise<string> {
  const parts = await page.locator('.part.panel .monaco-editor .view-lines').allInnerTexts();
  return parts.join('\n').replace(/\u00a0/g, ' ');
}

/**
 * Closes the active editor with its tab's close button: a webview (markdown preview) keeps the
 * keyboard inside its iframe, where F1 does not reach the workbench.
 */
export async function closeActiveEditor(page: Page): Promise<void> {
  const tab = page.locator('.tabs-container .tab.active');
  const label = await tab.getAttribute('aria-label');
  await tab.locator('.codicon-close').click();
  await waitFor(
    `the tab "${label}" to close`,
    async () =>
      await page
        .locator('.tabs-container .tab')
        .evaluateAll((tabs, l) => tabs.every((t) => t.getAttribute('aria-label') !== l), label),
  );
}

/** Moves the cursor with Go to Line (1-based line and column). */
export async function goTo(page: Page, line: number, column = 1): Promise<void> {
  await quickInput(page, `:${line}:${column}`);
}

/** Opens the Problems panel and returns the text of its rows (files and markers). */
export async function problemRows(page: Page): Promise<string[]> {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.locator('[id="status.problems"]').click();
    await panel.waitFor({ state: 'visible' });
  }
  return page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/** Waits until some Problems row contains every one of `parts`. */
export async function waitForProblem(page: Page, parts: string[], timeout = 60_000) {
  return waitFor(
    `a Problems row with ${parts.join(' + ')}`,
    async () => (await problemRows(page)).find((row) => parts.every((p) => row.includes(p))),
    { timeout },
  );
}

/** Opens the quick-fix menu at the cursor and returns its entries' titles once it has `expected`. */
export async function quickFixTitles(page: Page, expected: string): Promise<string[]> {
  await runCommand(page, 'Quick Fix...');
  const rows = page.locator('.action-widget .monaco-list-row.action');
  await rows.filter({ hasText: expected }).first().waitFor({ state: 'visible', timeout: 20_000 });
  return rows.allInnerTexts();
}

/**
 * Applies the quick-fix entry whose title contains `title` (the menu must be open). Keyboard, not
 * mouse: the menu's pointer guard swallows clicks that arrive before it has settled.
 */
export async function applyQuickFix(page: Page, title: string): Promise<void> {
  const menu = page.locator('.action-widget');
  const focused = menu.locator('.monaco-list-row.action.focused');
  const count = await menu.locator('.monaco-list-row.action').count();
  for (let i = 0; i <= count; i++) {
    if (((await focused.getAttribute('aria-label')) ?? '').includes(title)) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no quick fix "${title}" in the menu`);
}

/** Closes whatever a failed step left open (menus, hovers, quick input, snippet mode). */
export async function dismissAll(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
}

/** Shows the hover at the cursor (Show or Focus Hover) and returns its text once it has `expected`. */
export async function hoverText(page: Page, expected: RegExp): Promise<string> {
  await runCommand(page, 'Show or Focus Hover');
  return waitFor(
    `a hover matching ${expected}`,
    async () => {
      const texts = await page.locator('.monaco-hover:visible').allInnerTexts();
      return texts.find((t) => expected.test(t));
    },
    { timeout: 30_000 },
  );
}
