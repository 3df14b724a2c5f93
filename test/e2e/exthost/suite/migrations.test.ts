/**
 * The Migrations view's data and the run commands at the vscode API level, on the fixture's goose
 * folder and the workspace's embedded scratch database: the view stays empty (welcome) until a
 * connection is chosen, then lists Applied / Pending with contextValues, icons and open-file
 * commands; Run Up / Run Down on a node move it between the groups; CodeLens offers both; a
 * failing statement becomes a diagnostic with PostgreSQL's SQLSTATE.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import * as vscode from 'vscode';
import { waitFor } from '../../harness/waitFor';

/** The extension's exports (client/src/extension.ts PgmigApi), as far as these tests use them. */
interface Node {
  type: string;
}
interface Api {
  migrations: {
    tree: vscode.TreeDataProvider<Node>;
    connections: { effective(): unknown; select(id: string): Promise<unknown> };
    model: {
      get(conn: unknown, root: string): { status?: { entries: Array<{ appliedAt?: string }> } };
    };
  };
}

const MIGRATIONS = 'db/migrations';
const FIRST = `${MIGRATIONS}/20240101090000_create_users_orders.sql`;
const BROKEN = `${MIGRATIONS}/20240501090000_broken.sql`;
const DIRTY = `${MIGRATIONS}/20240601090000_widgets_idx.sql`;
/** PGlite starts inside the language server: slow on a busy machine. */
const SLOW = 240_000;

interface Shown {
  node: Node;
  item: vscode.TreeItem;
  children: Shown[];
}

function label(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

suite('pgmig Migrations view and run commands', () => {
  let api: Api['migrations'];
  let tree: vscode.TreeDataProvider<Node>;
  const root = vscode.workspace.workspaceFolders![0].uri;
  const uri = (rel: string) => vscode.Uri.joinPath(root, rel);

  /** The whole tree as the view would show it (every node expanded). */
  async function shown(node?: Node): Promise<Shown[]> {
    const nodes = (await tree.getChildren(node)) ?? [];
    return Promise.all(
      nodes.map(async (n) => {
        const item = await tree.getTreeItem(n);
        const children =
          item.collapsibleState === vscode.TreeItemCollapsibleState.None ? [] : await shown(n);
        return { node: n, item, children };
      }),
    );
  }

  function group(connection: Shown, name: string): Shown {
    const g = connection.children.find((c) => label(c.item) === name);
    assert.ok(g, `a ${name} group under ${label(connection.item)}`);
    return g;
  }

  async function embedded(): Promise<Shown> {
    const roots = await shown();
    const conn = roots.find((r) => label(r.item) === 'Embedded (scratch)');
    assert.ok(conn, `the embedded connection among ${roots.map((r) => label(r.item))}`);
    return conn;
  }

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension<Api>('pgmig.pgmig')!;
    await waitFor('the extension to activate', () => ext.isActive, { timeout: 60_000 });
    api = ext.exports.migrations;
    tree = api.tree;
  });

  suiteTeardown(() => {
    rmSync(uri(BROKEN).fsPath, { force: true });
    rmSync(uri(DIRTY).fsPath, { force: true });
  });

  test('stays empty (the welcome view) until a connection is chosen', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    assert.deepEqual(await tree.getChildren(), []);
  });

  test('lists the folder on the embedded database: nothing applied, four pending', async function () {
    this.timeout(SLOW);
    await vscode.commands.executeCommand('pgmig.useEmbeddedDatabase');
    const conn = await embedded();
    assert.equal(conn.item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
    assert.match(String(conn.item.description), /selected/);
    assert.equal(conn.item.contextValue, 'pgmig.connection.selected');
    assert.equal(group(conn, 'Applied').children.length, 0);
    const pending = group(conn, 'Pending').children;
    assert.deepEqual(
      pending.map((p) => label(p.item)),
      ['create_users_orders', 'orders_user_idx', 'orders_user_fk', 'orders_total_type'],
    );
    const first = pending[0].item;
    assert.equal(first.contextValue, 'pgmig.migration.pending.down');
    assert.equal((first.iconPath as vscode.ThemeIcon).id, 'circle-large-outline');
    assert.equal(first.command?.command, 'vscode.open');
    assert.equal((first.command?.arguments?.[0] as vscode.Uri).fsPath, uri(FIRST).fsPath);
  });

  test('CodeLens offers Run Up and Run Down above the sections', async () => {
    await vscode.window.showTextDocument(uri(FIRST));
    const lenses = await waitFor('the pgmig CodeLens', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        uri(FIRST),
      );
      const ours = all.filter((l) => l.command?.command.startsWith('pgmig.'));
      return ours.some((l) => l.command?.command === 'pgmig.runMigrationDown') ? ours : undefined;
    });
    const up = lenses.find((l) => l.command?.command === 'pgmig.runMigrationUp');
    const down = lenses.find((l) => l.command?.command === 'pgmig.runMigrationDown');
    assert.equal(up?.range.start.line, 0, 'Run Up on the "-- +goose Up" line');
    assert.equal(down?.range.start.line, 11, 'Run Down on the "-- +goose Down" line');
  });

  test('Run Up on a node applies it; Redo applies it again; Run Down moves it back', async function () {
    this.timeout(SLOW);
    const node = group(await embedded(), 'Pending').children[0].node;
    await vscode.commands.executeCommand('pgmig.runMigrationUp', node);
    let conn = await embedded();
    const applied = group(conn, 'Applied').children;
    assert.deepEqual(
      applied.map((a) => label(a.item)),
      ['create_users_orders'],
    );
    assert.equal(applied[0].item.contextValue, 'pgmig.migration.applied.down');
    // version, applied at, and how long it took
    assert.match(
      String(applied[0].item.description),
      /^20240101090000 · \d{4}-\d\d-\d\d \d\d:\d\d · /,
    );
    assert.equal(group(conn, 'Pending').children.length, 3);

    // Redo (from the palette: the active editor's folder) rolls it back and applies it again
    const appliedAt = () =>
      api.model.get(api.connections.effective(), uri(MIGRATIONS).fsPath).status?.entries[0]
        .appliedAt;
    const before = appliedAt();
    assert.ok(before);
    await vscode.commands.executeCommand('pgmig.redoMigration');
    const after = appliedAt();
    assert.ok(after && after > before, `applied again after ${before}: ${after}`);
    assert.deepEqual(
      group(await embedded(), 'Applied').children.map((a) => label(a.item)),
      ['create_users_orders'],
    );

    await vscode.commands.executeCommand('pgmig.runMigrationDown', applied[0].node);
    conn = await embedded();
    assert.equal(group(conn, 'Applied').children.length, 0);
    assert.equal(group(conn, 'Pending').children.length, 4);
  });

  test('a failing statement becomes a diagnostic with its SQLSTATE; the rest is applied', async function () {
    this.timeout(SLOW);
    writeFileSync(
      uri(BROKEN).fsPath,
      '-- +goose Up\nALTER TABLE widgets ADD COLUMN note text;\n\n-- +goose Down\nALTER TABLE widgets DROP COLUMN note;\n',
    );
    await vscode.commands.executeCommand('pgmig.runAllPending');
    const [d] = await waitFor('the run failure on the broken migration', () => {
      const ds = vscode.languages
        .getDiagnostics(uri(BROKEN))
        .filter((x) => x.source === 'pgmig run');
      return ds.length ? ds : undefined;
    });
    assert.equal(d.code, '42P01');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, 1);
    assert.match(d.message, /widgets/);
    const conn = await embedded();
    assert.equal(group(conn, 'Applied').children.length, 4);
    assert.deepEqual(
      group(conn, 'Pending').children.map((p) => label(p.item)),
      ['broken'],
    );
    // leave the database as the fixture started: everything rolled back
    const first = group(conn, 'Applied').children[0].node;
    await vscode.commands.executeCommand('pgmig.runMigrationDown', first);
    assert.equal(group(await embedded(), 'Applied').children.length, 0);
  });

  test('a failing migration outside a transaction is failed (dirty) under Problems', async function () {
    this.timeout(SLOW);
    rmSync(uri(BROKEN).fsPath, { force: true });
    writeFileSync(
      uri(DIRTY).fsPath,
      '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY widgets_idx ON widgets (name);\n\n-- +goose Down\nDROP INDEX CONCURRENTLY widgets_idx;\n',
    );
    await vscode.commands.executeCommand('pgmig.runAllPending');
    const conn = await embedded();
    assert.equal(group(conn, 'Applied').children.length, 4);
    const problems = group(conn, 'Problems').children;
    assert.deepEqual(
      problems.map((p) => label(p.item)),
      ['widgets_idx'],
    );
    assert.equal(problems[0].item.contextValue, 'pgmig.migration.failed.down');
    assert.equal((problems[0].item.iconPath as vscode.ThemeIcon).id, 'error');
    assert.match(String(problems[0].item.description), /failed/);
    // where it failed, with PostgreSQL's SQLSTATE
    const d = await waitFor('the failure as a diagnostic', () =>
      vscode.languages
        .getDiagnostics(uri(DIRTY))
        .find((x) => x.source === 'pgmig run' && x.code === '42P01'),
    );
    assert.equal(d.range.start.line, 2);
  });

  test('DATABASE_URL in the workspace .env is offered and read', async function () {
    this.timeout(SLOW);
    const name = `pgmig_exthost_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    await admin(`CREATE DATABASE ${name}`);
    const env = uri('.env').fsPath;
    try {
      writeFileSync(
        env,
        `# local development\nDATABASE_URL=postgres://postgres@127.0.0.1:5432/${name}\n`,
      );
      const conn = await waitFor('the DATABASE_URL connection in the view', async () =>
        (await shown()).find((r) => label(r.item) === 'DATABASE_URL (.env)'),
      );
      assert.equal(conn.item.contextValue, 'pgmig.connection');
      assert.equal((conn.item.iconPath as vscode.ThemeIcon).id, 'database');
      // not selected, so collapsed: expanding reads that database
      assert.equal(conn.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      const children = await shown(conn.node);
      const pending = children.find((c) => label(c.item) === 'Pending');
      assert.equal(pending?.children.length, 5, 'the fixture migrations and widgets_idx');
      assert.equal(children.find((c) => label(c.item) === 'Applied')?.children.length, 0);
      assert.ok(
        !children.some((c) => /Scratch/.test(label(c.item))),
        'a real server, not the scratch database',
      );
    } finally {
      rmSync(env, { force: true });
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  test('findings are weighed by the tables of a selected server', async function () {
    this.timeout(SLOW);
    const name = `pgmig_exthost_${randomBytes(4).toString('hex')}`;
    const query = async (sql: string, database = 'postgres') => {
      const c = new pg.Client({
        connectionString: `postgres://postgres@127.0.0.1:5432/${database}`,
      });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    await query(`CREATE DATABASE ${name}`);
    const env = uri('.env').fsPath;
    try {
      await query(
        `CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total numeric(10,2));
         INSERT INTO orders SELECT g, g, g FROM generate_series(1, 20000) g;
         ANALYZE orders;`,
        name,
      );
      writeFileSync(env, `DATABASE_URL=postgres://postgres@127.0.0.1:5432/${name}\n`);
      await waitFor('the DATABASE_URL connection in the view', async () =>
        (await shown()).find((r) => label(r.item) === 'DATABASE_URL (.env)'),
      );
      const doc = await vscode.workspace.openTextDocument(
        uri(`${MIGRATIONS}/20240401090000_orders_total_type.sql`),
      );
      await vscode.window.showTextDocument(doc);
      const message = () =>
        vscode.languages
          .getDiagnostics(doc.uri)
          .find((d) => d.code !== undefined && /changing-column-type/.test(JSON.stringify(d.code)))
          ?.message;
      await waitFor('the type change finding', message, { timeout: SLOW });
      assert.doesNotMatch(message()!, /connected database/);
      await api.connections.select('env');
      const weighed = await waitFor(
        'the finding weighed by the orders table of the server',
        () => (/On the connected database/.test(message() ?? '') ? message() : undefined),
        { timeout: SLOW },
      );
      assert.match(weighed, /orders: ~20 k rows, [\d.]+ MB — this rewrite holds ACCESS EXCLUSIVE/);
      await api.connections.select('embedded');
      await waitFor(
        'the finding no longer weighed on the embedded database',
        () => !/connected database/.test(message() ?? 'connected database'),
        { timeout: SLOW },
      );
    } finally {
      rmSync(env, { force: true });
      await query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
