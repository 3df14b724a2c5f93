/**
 * Lock tracing from the packaged extension in a real VS Code, on the embedded in-memory database:
 * the Trace Locks CodeLens beside Run Up / Run Down, "pgmig: Trace Locks" from the palette opening
 * the report with the measured locks, and the statement hover showing the measurement.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, packagedVsix } from '../harness/paths';
import { activeTab, editorText, goTo, hoverText, runCommand } from '../harness/ui';
import { useVSCode } from '../harness/suite';
import type { VSCode } from '../harness/vscode';
import { waitFor } from '../harness/waitFor';

const ORDERS = 'db/migrations/20240102090000_create_orders.sql';
/** The embedded database starts inside the language server: slow on a busy machine. */
const TRACE_TIMEOUT = 240_000;

describe('tracing locks in a real VS Code (packaged .vsix, embedded database)', () => {
  let vs: VSCode;

  useVSCode(
    {
      name: 'trace',
      install: 'vsix',
      vsix: packagedVsix(),
      workspaceFixture: join(FIXTURES, 'runner-workspace'),
      openFile: ORDERS,
    },
    (started) => (vs = started),
  );

  it('shows Trace Locks beside Run Up and Run Down', async () => {
    const lenses = vs.page.locator('.monaco-editor .codelens-decoration');
    const text = await waitFor(
      'the Trace Locks CodeLens',
      async () => {
        const t = (await lenses.allInnerTexts()).join(' | ');
        return /Run Up/.test(t) && /Trace Locks/.test(t) ? t : undefined;
      },
      { timeout: 90_000 },
    );
    // one per section: UP and DOWN
    expect(text.match(/Trace Locks/g)).toHaveLength(2);
    await vs.screenshot('1-trace-codelens');
  });

  it(
    '"pgmig: Trace Locks" opens the report with the measured locks',
    async () => {
      await runCommand(vs.page, 'pgmig: Trace Locks');
      await activeTab(vs.page, 'Trace 20240102090000').waitFor({ timeout: TRACE_TIMEOUT });
      vs.mark('traced');
      const report = await waitFor(
        'the trace report',
        async () => {
          // the report's lines wrap in the editor: compare text, not layout
          const t = (await editorText(vs.page)).replace(/\s+/g, ' ');
          return /Lock trace/.test(t) && /Rewritten|No lock|\| users \|/.test(t) ? t : undefined;
        },
        { timeout: 30_000 },
      );
      expect(report).toMatch(/Measured on PostgreSQL [\d.]+ \(embedded, in memory\), after/);
      expect(report).toMatch(/## UP — 20240102090000_create_orders\.sql/);
      // the foreign key locks the referenced table against writes
      expect(report).toMatch(/\| users \| SHARE ROW EXCLUSIVE \|/);
      expect(report).toMatch(/Duration: \d+\.\d ms/);
      await vs.screenshot('2-trace-report');
    },
    TRACE_TIMEOUT + 30_000,
  );

  it('the statement hover shows the measurement', async () => {
    // the report opened beside: back to the migration's editor group
    const name = ORDERS.split('/').pop()!;
    const tab = vs.page.locator('.tabs-container .tab', { hasText: name, hasNotText: 'Trace' });
    await tab.click();
    await waitFor('the migration editor to be active', async () =>
      (await tab.getAttribute('class'))?.includes('active'),
    );
    await goTo(vs.page, 2, 3);
    const text = await hoverText(vs.page, /measured on PostgreSQL/);
    expect(text).toMatch(/SHARE ROW EXCLUSIVE on users — blocks /);
    await vs.screenshot('3-trace-hover');
  });
});
