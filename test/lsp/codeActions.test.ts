/**
 * Code actions from the built server, applied the way an editor applies them: the preferred fix
 * clears its diagnostic, a multi-file fix creates the follow-up migration, ignore comments
 * silence the rule, "show documentation" opens the page, source.fixAll.pgmig applies every
 * preferred fix, and stale fix data is not offered.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { cli } from '../unit/cli/run';
import { writeFolder } from '../unit/helpers/lint';
import { TestClient, uriOf, withCode } from './client';

const CIC = 'require-concurrent-index-creation';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

const USERS = '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n';
const INDEX = '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\n';

async function setup(files: Record<string, string>, open: string) {
  const root = writeFolder(files);
  client = await TestClient.start({ root });
  const file = join(root, open);
  const ds = await client.open(file);
  return { root, file, ds, client };
}

/** Applies an action's edit and waits for the diagnostics of the document's new version. */
async function apply(c: TestClient, file: string, action: CodeAction): Promise<Diagnostic[]> {
  expect(action.edit, action.title).toBeDefined();
  c.applyEdit(action.edit!);
  return c.nextDiagnostics(file, (p) => p.version === c.version(file));
}

describe('code actions', () => {
  it('offers the preferred fix first, and applying it clears the diagnostic', async () => {
    const {
      file,
      ds,
      client: c,
    } = await setup(
      { '20240101000000_users.sql': USERS, '20240102000000_index.sql': INDEX },
      '20240102000000_index.sql',
    );
    const [d] = withCode(ds, CIC);
    const actions = await c.codeActions(file, [d]);
    const titles = actions.map((a) => a.title);
    expect(actions[0].isPreferred).toBe(true);
    expect(actions[0].title).toMatch(/CONCURRENTLY/);
    expect(titles).toContain(`Disable ${CIC} for this statement`);
    expect(titles).toContain(`Disable ${CIC} for this file`);
    expect(titles).toContain(`Show documentation for ${CIC}`);
    expect(actions.filter((a) => a.isPreferred)).toHaveLength(1);
    const after = await apply(c, file, actions[0]);
    expect(c.text(file)).toContain('CREATE INDEX CONCURRENTLY users_email_idx');
    expect(c.text(file)).toContain('-- +goose NO TRANSACTION');
    expect(withCode(after, CIC)).toEqual([]);
  });

  it('a fix that needs a new migration creates it in the folder layout', async () => {
    // golang-migrate sends the file as one query string: CONCURRENTLY needs a file of its own
    const {
      root,
      file,
      ds,
      client: c,
    } = await setup(
      {
        '000001_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n',
        '000001_users.down.sql': 'DROP TABLE users;\n',
        '000002_more.up.sql':
          'ALTER TABLE users ADD COLUMN name text;\nCREATE INDEX users_email_idx ON users (email);\n',
        '000002_more.down.sql':
          'DROP INDEX users_email_idx;\nALTER TABLE users DROP COLUMN name;\n',
      },
      '000002_more.up.sql',
    );
    const [d] = withCode(ds, CIC);
    const actions = await c.codeActions(file, [d]);
    const move = actions.find((a) => a.isPreferred);
    expect(move?.title).toMatch(/new migration/);
    const creates = (move!.edit!.documentChanges ?? []).filter((x) => 'kind' in x);
    expect(creates.length).toBeGreaterThan(0);
    const { onDisk } = c.applyEdit(move!.edit!);
    const created = onDisk.filter((p) => p.endsWith('.up.sql'));
    expect(created).toHaveLength(1);
    expect(readFileSync(created[0], 'utf8')).toContain(
      'CREATE INDEX CONCURRENTLY users_email_idx ON users (email)',
    );
    expect(c.text(file)).not.toContain('CREATE INDEX');
    // the editor reports the new files; the old migration has nothing left to say
    await c.fileEvents(onDisk.map((p) => ({ path: p, type: 1 as const })));
    const after = await c.diagnosticsFor(file, (p) => p.version === c.version(file));
    expect(withCode(after, CIC)).toEqual([]);
    expect(withCode(await c.open(created[0]), CIC)).toEqual([]);
    expect(readdirSync(root).filter((f) => f.startsWith('000003'))).toHaveLength(2);
  });

  it('moving the rest of a section to a new migration carries the moved text by its place', async () => {
    const RUNNING = 'running-statement-while-holding-access-exclusive';
    const rest =
      '-- the index on orders\nCREATE INDEX orders_user_idx ON orders (user_id);\n\n' +
      'UPDATE orders SET user_id = 0 WHERE user_id IS NULL;\n';
    const {
      root,
      file,
      ds,
      client: c,
    } = await setup(
      {
        '20240101000000_base.sql':
          '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n',
        '20240102000000_rename.sql': `-- +goose Up\nSET LOCAL lock_timeout = '2s';\nALTER TABLE users RENAME COLUMN email TO mail;\n${rest}`,
      },
      '20240102000000_rename.sql',
    );
    const [d] = withCode(ds, RUNNING);
    expect(d, JSON.stringify(ds.map((x) => x.code))).toBeDefined();
    const data = d.data as {
      fixes: Array<{
        title: string;
        edits: Array<{ create?: boolean; copy?: number[]; newText: string }>;
      }>;
    };
    const split = data.fixes.find((f) => f.edits.some((e) => e.create));
    const created = split!.edits.find((e) => e.create)!;
    // the statements themselves are not in the data: only where they are
    expect(created.copy).toHaveLength(2);
    expect(created.newText).not.toContain('CREATE INDEX');
    expect(c.text(file).slice(created.copy![0], created.copy![1])).toBe(rest.trim());
    const move = (await c.codeActions(file, [d])).find((a) => a.title === split!.title);
    const { onDisk } = c.applyEdit(move!.edit!);
    const path = onDisk.find((p) => p.endsWith('.sql'))!;
    const content = readFileSync(path, 'utf8');
    expect(content).toContain(rest.trim());
    expect(content).toContain("SET LOCAL lock_timeout = '2s';");
    expect(content.startsWith('-- +goose Up')).toBe(true);
    expect(c.text(file)).not.toContain('CREATE INDEX');
    expect(c.text(file)).toContain('RENAME COLUMN email TO mail');
    expect(readdirSync(root)).toHaveLength(3);
  });

  it('Generate DOWN (missing-down) flows through the same fix path, in the same file', async () => {
    const {
      file,
      ds,
      client: c,
    } = await setup(
      {
        '20240101000000_users.sql': `${USERS}\n-- +goose Down\nDROP TABLE users;\n`,
        '20240102000000_orders.sql':
          '-- +goose Up\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n',
      },
      '20240102000000_orders.sql',
    );
    const [d] = withCode(ds, 'missing-down');
    expect(d, JSON.stringify(ds.map((x) => x.code))).toBeDefined();
    const generate = (await c.codeActions(file, [d])).find((a) =>
      a.title.startsWith('Generate DOWN'),
    );
    expect(generate).toBeDefined();
    const after = await apply(c, file, generate!);
    expect(c.text(file)).toMatch(/-- \+goose Down\n[\s\S]*DROP TABLE[^;]*orders/);
    expect(withCode(after, 'missing-down')).toEqual([]);
  });

  it('Generate DOWN creates the separate down file where the runner keeps one', async () => {
    const {
      root,
      file,
      ds,
      client: c,
    } = await setup(
      {
        '000001_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\n',
        '000001_users.down.sql': 'DROP TABLE users;\n',
        '000002_orders.up.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY);\n',
      },
      '000002_orders.up.sql',
    );
    const [d] = withCode(ds, 'missing-down');
    const generate = (await c.codeActions(file, [d])).find((a) =>
      a.title.startsWith('Generate DOWN'),
    );
    const { onDisk } = c.applyEdit(generate!.edit!);
    const down = join(root, '000002_orders.down.sql');
    expect(onDisk).toEqual([down]);
    expect(readFileSync(down, 'utf8')).toMatch(/DROP TABLE[^;]*orders/);
    const relinted = c.nextDiagnostics(
      file,
      (p) => withCode(p.diagnostics, 'missing-down').length === 0,
    );
    await c.fileEvents([{ path: down, type: 1 }]);
    expect(withCode(await relinted, 'missing-down')).toEqual([]);
  });

  it('disables a rule for a statement or for the file', async () => {
    const {
      file,
      ds,
      client: c,
    } = await setup(
      { '20240101000000_users.sql': USERS, '20240102000000_index.sql': INDEX },
      '20240102000000_index.sql',
    );
    const [d] = withCode(ds, CIC);
    const line = (await c.codeActions(file, [d])).find((a) => a.title.endsWith('this statement'))!;
    expect(withCode(await apply(c, file, line), CIC)).toEqual([]);
    expect(c.text(file)).toContain(`-- pgmig-ignore ${CIC}\nCREATE INDEX`);
    await c.setText(file, INDEX);
    const again = await c.diagnosticsFor(file, (p) => p.version === c.version(file));
    const whole = (await c.codeActions(file, withCode(again, CIC))).find((a) =>
      a.title.endsWith('this file'),
    )!;
    expect(withCode(await apply(c, file, whole), CIC)).toEqual([]);
    expect(c.text(file).startsWith(`-- pgmig-ignore-file ${CIC}\n`)).toBe(true);
  });

  it('shows documentation through the server, or a client command when given', async () => {
    const {
      file,
      ds,
      client: c,
    } = await setup(
      { '20240101000000_users.sql': USERS, '20240102000000_index.sql': INDEX },
      '20240102000000_index.sql',
    );
    const docs = (await c.codeActions(file, withCode(ds, CIC))).find((a) =>
      a.title.startsWith('Show documentation'),
    )!;
    expect(docs.command?.command).toBe('pgmig.server.showDocumentation');
    await c.connection.sendRequest('workspace/executeCommand', {
      command: docs.command!.command,
      arguments: docs.command!.arguments,
    });
    expect(c.shownDocuments).toEqual([
      `https://github.com/pgmig/pgmig/blob/main/docs/rules/${CIC}.md`,
    ]);
    await c.stop();

    const root = writeFolder({
      '20240101000000_users.sql': USERS,
      '20240102000000_index.sql': INDEX,
    });
    client = await TestClient.start({
      root,
      initializationOptions: { showDocumentationCommand: 'pgmig.openRuleDocs' },
    });
    const other = join(root, '20240102000000_index.sql');
    const ds2 = await client.open(other);
    const action = (await client.codeActions(other, withCode(ds2, CIC))).find((a) =>
      a.title.startsWith('Show documentation'),
    )!;
    expect(action.command).toMatchObject({ command: 'pgmig.openRuleDocs', arguments: [CIC] });
  });

  it('source.fixAll.pgmig fixes the document as pgmig lint --fix fixes the file', async () => {
    const files = {
      '20240101000000_users.sql': `${USERS}CREATE INDEX users_old_idx ON users (email);\n`,
      '20240102000000_more.sql':
        '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\nCREATE INDEX users_id_idx ON users (id);\nDROP INDEX users_old_idx;\n',
    };
    const { file, ds, client: c } = await setup(files, '20240102000000_more.sql');
    expect(withCode(ds, CIC)).toHaveLength(2);
    expect(withCode(ds, 'require-concurrent-index-deletion')).toHaveLength(1);
    const actions = await c.codeActions(file, ds, ['source.fixAll']);
    expect(actions).toHaveLength(1);
    expect(actions[0].kind).toBe('source.fixAll.pgmig');
    const after = await apply(c, file, actions[0]);
    expect(withCode(after, CIC)).toEqual([]);
    expect(withCode(after, 'require-concurrent-index-deletion')).toEqual([]);
    const copy = writeFolder(files);
    const run = await cli(['lint', copy, '--fix']);
    expect(run.stderr).toMatch(/applied \d+ fix/);
    expect(c.text(file)).toBe(readFileSync(join(copy, '20240102000000_more.sql'), 'utf8'));
  });

  it('does not offer fixes computed for an older version of the document', async () => {
    const {
      file,
      ds,
      client: c,
    } = await setup(
      { '20240101000000_users.sql': USERS, '20240102000000_index.sql': INDEX },
      '20240102000000_index.sql',
    );
    const old = withCode(ds, CIC);
    await c.setText(file, `${INDEX}-- a comment\n`);
    const actions = await c.codeActions(file, old);
    expect(actions.map((a) => a.title)).toEqual([`Show documentation for ${CIC}`]);
  });

  it('offers no file-creating fix to a client that cannot create files', async () => {
    const root = writeFolder({
      '000001_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email text);\n',
      '000002_more.up.sql':
        'ALTER TABLE users ADD COLUMN name text;\nCREATE INDEX users_email_idx ON users (email);\n',
    });
    client = await TestClient.start({
      root,
      capabilities: { workspace: { workspaceEdit: { documentChanges: false } } },
    });
    const file = join(root, '000002_more.up.sql');
    const ds = await client.open(file);
    const actions = await client.codeActions(file, withCode(ds, CIC));
    expect(actions.some((a) => /new migration/.test(a.title))).toBe(false);
    const line = actions.find((a) => a.title.endsWith('this statement'))!;
    expect(Object.keys(line.edit!.changes!)).toEqual([uriOf(file)]);
    expect(existsSync(join(root, '000003_more_concurrently.up.sql'))).toBe(false);
  });

  it('offers a rewrite two rules share once, for both diagnostics', async () => {
    const {
      file,
      ds,
      client: c,
    } = await setup(
      {
        '20240101000000_users.sql':
          '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n',
        '20240102000000_fk.sql':
          '-- +goose Up\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n',
      },
      '20240102000000_fk.sql',
    );
    const both = [
      ...withCode(ds, 'adding-foreign-key-constraint'),
      ...withCode(ds, 'constraint-missing-not-valid'),
    ];
    expect(both).toHaveLength(2);
    const actions = await c.codeActions(file, both);
    const edits = actions.filter((a) => a.edit).map((a) => `${a.title}\0${JSON.stringify(a.edit)}`);
    expect(new Set(edits).size).toBe(edits.length);
    const shared = actions.filter((a) => a.edit && a.diagnostics?.length === 2);
    expect(shared.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.isPreferred)).toHaveLength(1);
  });
});
