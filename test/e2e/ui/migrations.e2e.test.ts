/**
 * Running migrations from the packaged extension in a real VS Code, on the workspace's embedded
 * scratch database (PGlite, shipped inside the .vsix): the Migrations view's welcome, "Run
 * Migration Up" from the palette moving the open migration to Applied, the migrations log with
 * each statement's duration, and "Run Migration Down" moving it back to Pending. Then a named,
 * protected connection to a server with password authentication: the password prompt and secret
 * storage, and the modal that names the connection and lists the DROPs before rolling back.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../../db/helpers/cluster';
import { FIXTURES, packagedVsix } from '../harness/paths';
import { runCommand, startCommand } from '../harness/ui';
import { useVSCode } from '../harness/suite';
import type { VSCode } from '../harness/vscode';
import { waitFor } from '../harness/waitFor';

const USERS = 'db/migrations/20240101090000_create_users.sql';
/** The embedded database starts inside the language server: slow on a busy machine. */
const RUN_TIMEOUT = 240_000;

interface Row {
  level: number;
  name: string;
  description: string;
}

/** The Migrations view's rows, top to bottom: depth in the tree, label and description. */
async function treeRows(page: Page): Promise<Row[]> {
  return page.locator('.part.sidebar .monaco-list-row').evaluateAll((els) =>
    els
      .map((el) => {
        const text = (sel: string) =>
          (el.querySelector(sel)?.textContent ?? '').replace(/\s+/g, ' ').trim();
        return {
          top: parseFloat((el as HTMLElement).style.top) || 0,
          level: Number(el.getAttribute('aria-level') ?? 0),
          name: text('.label-name'),
          description: text('.label-description'),
        };
      })
      .sort((a, b) => a.top - b.top)
      .map(({ level, name, description }) => ({ level, name, description })),
  );
}

/** The group (Applied, Pending, Problems) a migration row sits under, if the row is shown. */
function groupOf(rows: Row[], migration: string): string | undefined {
  const i = rows.findIndex((r) => r.name === migration);
  if (i < 0) return undefined;
  for (let j = i - 1; j >= 0; j--) if (rows[j].level === rows[i].level - 1) return rows[j].name;
  return undefined;
}

async function waitForGroup(vs: VSCode, migration: string, group: string): Promise<Row[]> {
  return waitFor(
    `${migration} under ${group} in the Migrations view`,
    async () => {
      const rows = await treeRows(vs.page);
      return groupOf(rows, migration) === group ? rows : undefined;
    },
    { timeout: RUN_TIMEOUT, interval: 500 },
  );
}

/** Picks the entry of the open quick pick (or accepts the input box) once it shows `row`. */
async function accept(page: Page, row: string): Promise<void> {
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: row })
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** The names of the rows under `group` of connection `conn` (direct children only). */
function under(rows: Row[], conn: string, group: string): string[] {
  const c = rows.findIndex((r) => r.name === conn);
  if (c < 0) return [];
  let g = -1;
  for (let i = c + 1; i < rows.length && rows[i].level > rows[c].level; i++)
    if (rows[i].level === rows[c].level + 1 && rows[i].name === group) g = i;
  if (g < 0) return [];
  const out: string[] = [];
  for (let i = g + 1; i < rows.length && rows[i].level > rows[g].level; i++)
    if (rows[i].level === rows[g].level + 1) out.push(rows[i].name);
  return out;
}

async function waitForUnder(vs: VSCode, conn: string, group: string, names: string[]) {
  return waitFor(
    `${names.join(', ') || 'nothing'} under ${conn} → ${group}`,
    async () => {
      const rows = await treeRows(vs.page);
      return JSON.stringify(under(rows, conn, group)) === JSON.stringify(names) ? rows : undefined;
    },
    { timeout: RUN_TIMEOUT, interval: 500 },
  );
}

/**
 * The extension's client log ("pgmig" output channel) as VS Code writes it to disk: the harness
 * keeps the user data directory next to the workspace copy.
 */
function clientLog(vs: VSCode): string {
  const logs = join(dirname(vs.workspace!), 'user-data', 'logs');
  const files = readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(join('pgmig.pgmig', 'pgmig.log')))
    .map((f) => join(logs, f));
  if (files.length === 0) throw new Error(`no pgmig client log under ${logs}`);
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

function pendingItem(vs: VSCode) {
  // VS Code prefixes the item's id with the extension's id.
  return vs.page.locator('[id="pgmig.pgmig.pgmig.pending"]');
}

async function pendingText(vs: VSCode): Promise<string> {
  const item = pendingItem(vs);
  return (await item.isVisible()) ? item.innerText() : '';
}

describe('running migrations in a real VS Code (packaged .vsix, embedded database)', () => {
  let vs: VSCode;

  useVSCode(
    {
      name: 'migrations',
      install: 'vsix',
      vsix: packagedVsix(),
      workspaceFixture: join(FIXTURES, 'runner-workspace'),
      openFile: USERS,
    },
    (started) => (vs = started),
  );

  it('the Migrations view welcomes with "Add Connection" and the embedded database', async () => {
    await runCommand(vs.page, 'View: Show Migrations');
    const welcome = vs.page.locator('.part.sidebar .welcome-view-content');
    await welcome
      .locator('.monaco-button', { hasText: 'Use the Embedded Database' })
      .waitFor({ timeout: 60_000 });
    await expect(welcome.innerText()).resolves.toMatch(/Add Connection/);
    // nothing was chosen: no scratch database was created just by looking
    expect(existsSync(join(vs.workspace!, '.pgmig'))).toBe(false);
    await vs.screenshot('1-welcome');
  });

  it('shows Run Up / Run Down above the sections of the open migration', async () => {
    const lenses = vs.page.locator('.monaco-editor .codelens-decoration');
    await waitFor(
      'the Run Up and Run Down CodeLens',
      async () => {
        const text = (await lenses.allInnerTexts()).join(' | ');
        return /Run Up/.test(text) && /Run Down/.test(text) ? text : undefined;
      },
      { timeout: 90_000 },
    );
    await vs.screenshot('2-codelens');
  });

  it(
    '"Run Migration Up" from the palette moves the open migration to Applied',
    async () => {
      await runCommand(vs.page, 'pgmig: Run Migration Up');
      const rows = await waitForGroup(vs, 'create_users', 'Applied');
      vs.mark('appliedUp');
      expect(rows.find((r) => r.name === 'Embedded (scratch)')?.description).toMatch(/selected/);
      expect(groupOf(rows, 'create_orders')).toBe('Pending');
      // the applied row says when it was applied and how long it took
      expect(rows.find((r) => r.name === 'create_users')?.description).toMatch(
        /^20240101090000 · \d{4}-\d\d-\d\d \d\d:\d\d · [\d.]+ m?s$/,
      );
      expect(existsSync(join(vs.workspace!, '.pgmig', 'pglite'))).toBe(true);
      await waitFor('"1 pending" in the status bar', async () =>
        /1 pending/.test(await pendingText(vs)),
      );
      await vs.screenshot('3-applied');
    },
    RUN_TIMEOUT + 30_000,
  );

  it('the migrations log shows each statement with its duration', async () => {
    await runCommand(vs.page, 'pgmig: Show Migrations Log');
    const output = vs.page.locator('.part.panel .monaco-editor .view-lines');
    const text = await waitFor(
      'the CREATE TABLE users statement in the migrations log',
      async () => {
        const t = (
          (await output
            .first()
            .innerText()
            .catch(() => '')) ?? ''
        ).replace(/\s+/g, ' ');
        return /CREATE TABLE users/.test(t) ? t : undefined;
      },
      { timeout: 30_000 },
    );
    expect(text).toMatch(/\d+ ms\s+db\/migrations\/20240101090000_create_users\.sql:2/);
    expect(text).toMatch(/scratch database/);
    await vs.screenshot('4-migrations-log');
  });

  it(
    '"Run Migration Down" from the palette moves it back to Pending',
    async () => {
      // the palette command acts on the active editor's migration
      await vs.page.locator('.tabs-container .tab', { hasText: 'create_users' }).first().click();
      await runCommand(vs.page, 'pgmig: Run Migration Down');
      const rows = await waitForGroup(vs, 'create_users', 'Pending');
      vs.mark('rolledBack');
      expect(groupOf(rows, 'create_orders')).toBe('Pending');
      expect(rows.find((r) => r.name === 'Applied')?.description).toBe('0');
      await waitFor('"2 pending" in the status bar', async () =>
        /2 pending/.test(await pendingText(vs)),
      );
      await vs.screenshot('5-rolled-back');
    },
    RUN_TIMEOUT + 30_000,
  );

  describe('a protected connection to a server that wants a password', () => {
    const PASSWORD = 'e2e-Pw-77';
    let cluster: Cluster;
    const dialog = () => vs.page.locator('.monaco-dialog-box');
    /** Whether the migration's pg_sleep runs on the server now. */
    const running = async () => {
      const rows = await query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(120)%'",
      );
      return rows[0].n > 0;
    };
    /** The application tables on the server, read directly. */
    const query = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
      const c = new pg.Client({
        host: '127.0.0.1',
        port: cluster.port,
        user: 'postgres',
        password: PASSWORD,
        database: 'postgres',
        ssl: { rejectUnauthorized: false },
      });
      await c.connect();
      try {
        return (await c.query<T>(sql)).rows;
      } finally {
        await c.end();
      }
    };
    const tables = async () =>
      (
        await query<{ t: string }>(
          "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'orders') ORDER BY 1",
        )
      ).map((x) => x.t);

    beforeAll(async () => {
      cluster = await startCluster(PASSWORD);
      // workspace settings, as "Add Connection" writes them: no password there
      mkdirSync(join(vs.workspace!, '.vscode'), { recursive: true });
      writeFileSync(
        join(vs.workspace!, '.vscode', 'settings.json'),
        JSON.stringify({
          'pgmig.connections': [
            {
              name: 'staging',
              host: '127.0.0.1',
              port: cluster.port,
              database: 'postgres',
              user: 'postgres',
              sslmode: 'require',
              protected: true,
            },
          ],
        }),
      );
    }, 120_000);

    afterAll(() => cluster?.stop());

    it(
      'asks for the password once, offers secret storage, then shows the status',
      async () => {
        await waitFor('the staging connection in the view', async () =>
          (await treeRows(vs.page)).some((r) => r.name === 'staging'),
        );
        await vs.page
          .locator('.part.sidebar .actions-container a[aria-label*="Select Connection"]')
          .first()
          .click();
        await vs.page.locator('.quick-input-widget .quick-input-box input').fill('staging');
        await accept(vs.page, 'staging');
        const password = vs.page.locator('.quick-input-widget input[type="password"]');
        await password.waitFor({ timeout: RUN_TIMEOUT });
        await expect(vs.page.locator('.quick-input-widget').innerText()).resolves.toMatch(
          /password for "staging" \(postgres@127\.0\.0\.1:\d+\/postgres\)/,
        );
        await vs.screenshot('6-password-prompt');
        await password.fill(PASSWORD);
        await vs.page.keyboard.press('Enter');
        await accept(vs.page, 'Store in VS Code secret storage');
        await waitForUnder(vs, 'staging', 'Pending', ['create_users', 'create_orders']);
        await vs.screenshot('7-staging-status');
      },
      RUN_TIMEOUT + 30_000,
    );

    it(
      '"Run All Pending" applies both there without asking again',
      async () => {
        await runCommand(vs.page, 'pgmig: Run All Pending');
        await waitForUnder(vs, 'staging', 'Applied', ['create_users', 'create_orders']);
        expect(await tables()).toEqual(['orders', 'users']);
        expect(
          await vs.page.locator('.quick-input-widget input[type="password"]').isVisible(),
        ).toBe(false);
        await waitFor('"0 pending" in the status bar', async () =>
          /0 pending/.test(await pendingText(vs)),
        );
      },
      RUN_TIMEOUT + 30_000,
    );

    it(
      '"Run Migration Down" names the connection, lists the DROPs, and runs only when confirmed',
      async () => {
        await vs.page.locator('.tabs-container .tab', { hasText: 'create_users' }).first().click();
        await runCommand(vs.page, 'pgmig: Run Migration Down');
        await dialog().waitFor({ timeout: RUN_TIMEOUT });
        const text = await dialog().innerText();
        expect(text).toMatch(/Roll back on the protected connection "staging"\?/);
        // create_users and everything applied after it, newest first
        expect(text).toMatch(
          /20240102090000: DROP TABLE orders[\s\S]*20240101090000: DROP TABLE users/,
        );
        await vs.screenshot('8-protected-down-confirmation');
        await dialog().locator('.monaco-button', { hasText: 'Cancel' }).click();
        await dialog().waitFor({ state: 'hidden' });
        // declined: nothing was rolled back
        expect(await tables()).toEqual(['orders', 'users']);

        await runCommand(vs.page, 'pgmig: Run Migration Down');
        await dialog().waitFor({ timeout: RUN_TIMEOUT });
        await dialog().locator('.monaco-button', { hasText: 'Roll Back on staging' }).click();
        await waitForUnder(vs, 'staging', 'Pending', ['create_users', 'create_orders']);
        expect(await tables()).toEqual([]);
        await vs.screenshot('9-protected-rolled-back');
      },
      2 * RUN_TIMEOUT,
    );

    it(
      'after a language server restart the stored password is used, without a prompt',
      async () => {
        const fromStorage = () => (clientLog(vs).match(/: from secret storage/g) ?? []).length;
        const before = fromStorage();
        await runCommand(vs.page, 'pgmig: Restart Language Server');
        // the new server has no password: the view's status request makes it ask the editor
        await waitFor('the password answered from secret storage', () => fromStorage() > before, {
          timeout: RUN_TIMEOUT,
          interval: 500,
        });
        await waitForUnder(vs, 'staging', 'Pending', ['create_users', 'create_orders']);
        expect(
          await vs.page.locator('.quick-input-widget input[type="password"]').isVisible(),
        ).toBe(false);
        expect(clientLog(vs)).not.toContain(PASSWORD);
      },
      RUN_TIMEOUT + 30_000,
    );

    it(
      'a long run is cancelled from its progress notification (pg_cancel_backend)',
      async () => {
        const slow = join(vs.workspace!, 'db/migrations/20240103090000_slow_backfill.sql');
        writeFileSync(slow, '-- migrate:up\nSELECT pg_sleep(120);\n\n-- migrate:down\nSELECT 1;\n');
        await waitForUnder(vs, 'staging', 'Pending', [
          'create_users',
          'create_orders',
          'slow_backfill',
        ]);
        const started = Date.now();
        await runCommand(vs.page, 'pgmig: Run All Pending');
        const progress = vs.page.locator('.notification-toast', { hasText: 'Run All Pending' });
        // the statement is running once the log has its start
        await waitFor(
          'the sleeping statement to run',
          async () => ((await tables()).length === 2 && (await running()) ? true : undefined),
          { timeout: RUN_TIMEOUT, interval: 500 },
        );
        await vs.screenshot('10-long-run-progress');
        await progress.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
        await waitForUnder(vs, 'staging', 'Pending', ['slow_backfill']);
        // a cancel is not a failure of the statement: no diagnostic for it
        expect(await vs.page.locator('[id="status.problems"]').innerText()).toMatch(
          /^\D*0\D+0\s*$/,
        );
        // stopped long before pg_sleep(120) would have ended; the migration is not recorded
        expect(Date.now() - started).toBeLessThan(110_000);
        expect(await running()).toBe(false);
        await vs.screenshot('11-cancelled');
      },
      RUN_TIMEOUT + 30_000,
    );
  });

  it('"Add Connection" keeps the password out of settings and a refused connection says so', async () => {
    // from the palette; the command's own quick pick follows in the same widget, so this does
    // not wait for the palette to close as runCommand does
    await startCommand(vs.page, 'pgmig: Add Connection');
    await accept(vs.page, 'Connection URL');
    const input = vs.page.locator('.quick-input-widget .quick-input-box input');
    const title = vs.page.locator('.quick-input-widget .quick-input-title');
    await title.filter({ hasText: '(1/3)' }).waitFor();
    // port 1: nothing listens there
    await input.fill('postgres://app:s3cr%40t@127.0.0.1:1/app?sslmode=disable');
    await vs.page.keyboard.press('Enter');
    await title.filter({ hasText: '(2/3)' }).waitFor();
    await expect(input.inputValue()).resolves.toBe('app');
    await vs.page.keyboard.press('Enter');
    await accept(vs.page, 'Development database');
    const settings = join(vs.workspace!, '.vscode', 'settings.json');
    const written = await waitFor('the connection in the workspace settings', () => {
      const text = readFileSync(settings, 'utf8');
      return text.includes('"name": "app"') ? text : undefined;
    });
    expect(written).toContain('postgres://app@127.0.0.1:1/app?sslmode=disable');
    expect(written).not.toContain('s3cr');
    // added and selected: its status says why it cannot connect
    const rows = await waitFor(
      'the refused connection under app',
      async () => {
        const r = await treeRows(vs.page);
        const i = r.findIndex((x) => x.name === 'app');
        const child = r[i + 1];
        return i >= 0 && child?.level === r[i].level + 1 && /connection refused/.test(child.name)
          ? r
          : undefined;
      },
      { timeout: 60_000 },
    );
    expect(rows.find((r) => r.name === 'app')?.description).toMatch(/selected/);
    expect(JSON.stringify(rows)).not.toContain('s3cr');
    expect(clientLog(vs)).not.toContain('s3cr');
    await vs.screenshot('12-added-connection-refused');
  }, 120_000);

  it('"New Migration" creates the next one in the folder\'s format and opens it', async () => {
    await vs.page.locator('.tabs-container .tab', { hasText: 'create_users' }).first().click();
    await startCommand(vs.page, 'pgmig: New Migration');
    const title = vs.page.locator('.quick-input-widget .quick-input-title');
    await title.filter({ hasText: 'New migration in db/migrations' }).waitFor();
    await vs.page.locator('.quick-input-widget .quick-input-box input').fill('add_user_status');
    await vs.page.keyboard.press('Enter');
    const tab = vs.page.locator('.tabs-container .tab.active', { hasText: 'add_user_status' });
    await tab.waitFor({ timeout: 30_000 });
    const created = readdirSync(join(vs.workspace!, 'db/migrations')).find((f) =>
      f.endsWith('_add_user_status.sql'),
    );
    expect(created).toMatch(/^\d{14}_add_user_status\.sql$/);
    expect(created! > '20240103090000').toBe(true);
    const text = readFileSync(join(vs.workspace!, 'db/migrations', created!), 'utf8');
    expect(text).toMatch(/-- migrate:up[\s\S]*-- migrate:down/);
    await vs.screenshot('13-new-migration');
  });
});
