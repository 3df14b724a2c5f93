/**
 * The server follows the workspace: an edit to an earlier migration re-lints the later ones,
 * pgmig.json and the pgmig.* settings apply without a restart, migrations added or removed on
 * disk are picked up (with the client's file events, or by watching itself), and a file deleted
 * under an open document costs nothing but its findings.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFolder } from '../unit/helpers/lint';
import { TestClient, withCode } from './client';

const CIC = 'require-concurrent-index-creation';
const TYPE = 'changing-column-type';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

const USERS = '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text);\n';
const INDEX = '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\n';
/** Widening varchar to text runs in place, when the model knows the column was a varchar. */
const VARCHAR = '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email varchar(100));\n';
const INTEGER = '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email int);\n';
const TO_TEXT = '-- +goose Up\nALTER TABLE users ALTER COLUMN email TYPE text;\n';

describe('workspace', () => {
  it('editing an earlier migration updates the findings of a later one', async () => {
    const root = writeFolder({
      '20240101000000_users.sql': VARCHAR,
      '20240102000000_type.sql': TO_TEXT,
    });
    client = await TestClient.start({ root });
    const first = join(root, '20240101000000_users.sql');
    const later = join(root, '20240102000000_type.sql');
    expect(withCode(await client.open(later), TYPE)).toEqual([]);
    await client.open(first);
    const rewrite = client.nextDiagnostics(later, (p) => withCode(p.diagnostics, TYPE).length > 0);
    await client.setText(first, INTEGER);
    const [d] = withCode(await rewrite, TYPE);
    expect(d.message).toMatch(/from integer to text rewrites the table/);
    const inPlace = client.nextDiagnostics(
      later,
      (p) => withCode(p.diagnostics, TYPE).length === 0,
    );
    await client.setText(first, VARCHAR);
    expect(withCode(await inPlace, TYPE)).toEqual([]);
  });

  it('closing an edited earlier migration goes back to the file on disk', async () => {
    const root = writeFolder({
      '20240101000000_users.sql': VARCHAR,
      '20240102000000_type.sql': TO_TEXT,
    });
    client = await TestClient.start({ root });
    const first = join(root, '20240101000000_users.sql');
    const later = join(root, '20240102000000_type.sql');
    await client.open(later);
    await client.open(first);
    const rewrite = client.nextDiagnostics(later, (p) => withCode(p.diagnostics, TYPE).length > 0);
    await client.setText(first, INTEGER);
    await rewrite;
    const back = client.nextDiagnostics(later, (p) => withCode(p.diagnostics, TYPE).length === 0);
    await client.close(first);
    expect(withCode(await back, TYPE)).toEqual([]);
  });

  it('applies a pgmig.json change without a restart', async () => {
    const root = writeFolder({
      '20240101000000_users.sql': USERS,
      '20240102000000_index.sql': INDEX,
    });
    client = await TestClient.start({ root });
    const later = join(root, '20240102000000_index.sql');
    expect(withCode(await client.open(later), CIC)).toHaveLength(1);
    writeFileSync(join(root, 'pgmig.json'), JSON.stringify({ rules: { [CIC]: 'off' } }));
    const wait = client.nextDiagnostics(later, (p) => withCode(p.diagnostics, CIC).length === 0);
    await client.fileEvents([{ path: join(root, 'pgmig.json'), type: 1 }]);
    expect(withCode(await wait, CIC)).toEqual([]);
  });

  it('applies a change of the pgmig.* settings without a restart', async () => {
    const root = writeFolder({ 'sql/001_a.sql': 'CREATE INDEX a_idx ON a (x);\n' });
    client = await TestClient.start({ root });
    const file = join(root, 'sql/001_a.sql');
    expect(await client.open(file)).toEqual([]);
    client.settings = { migrationGlobs: ['sql/*.sql'] };
    const wait = client.nextDiagnostics(file, (p) => p.diagnostics.length > 0);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    expect(withCode(await wait, CIC)).toHaveLength(1);
  });

  it('picks up migrations added and removed on disk', async () => {
    const root = writeFolder({ '20240102000000_type.sql': TO_TEXT });
    client = await TestClient.start({ root });
    const later = join(root, '20240102000000_type.sql');
    // the column's type is unknown: the change may rewrite the table
    expect(withCode(await client.open(later), TYPE)).toHaveLength(1);
    const users = join(root, '20240101000000_users.sql');
    writeFileSync(users, VARCHAR);
    const added = client.nextDiagnostics(later, () => true);
    await client.fileEvents([{ path: users, type: 1 }]);
    expect(withCode(await added, TYPE)).toEqual([]);
    rmSync(users);
    const removed = client.nextDiagnostics(later, () => true);
    await client.fileEvents([{ path: users, type: 3 }]);
    expect(withCode(await removed, TYPE)).toHaveLength(1);
  });

  it('picks up a migration changed on disk that is not open', async () => {
    const root = writeFolder({
      '20240101000000_users.sql': VARCHAR,
      '20240102000000_type.sql': TO_TEXT,
    });
    client = await TestClient.start({ root });
    const later = join(root, '20240102000000_type.sql');
    expect(withCode(await client.open(later), TYPE)).toEqual([]);
    const users = join(root, '20240101000000_users.sql');
    writeFileSync(users, INTEGER);
    const changed = client.nextDiagnostics(later, () => true);
    await client.fileEvents([{ path: users, type: 2 }]);
    expect(withCode(await changed, TYPE)).toHaveLength(1);
  });

  it('watches folders itself when the client does not', async () => {
    const root = writeFolder({ '20240102000000_type.sql': TO_TEXT });
    client = await TestClient.start({ root, capabilities: {} });
    const later = join(root, '20240102000000_type.sql');
    expect(withCode(await client.open(later), TYPE)).toHaveLength(1);
    expect(client.registrations).toEqual([]);
    const wait = client.nextDiagnostics(later, (p) => withCode(p.diagnostics, TYPE).length === 0);
    writeFileSync(join(root, '20240101000000_users.sql'), VARCHAR);
    expect(withCode(await wait, TYPE)).toEqual([]);
  });

  it('watches new migration folders of a diesel layout itself', async () => {
    const root = writeFolder({
      'migrations/2024-01-02-000000_type/up.sql':
        'ALTER TABLE users ALTER COLUMN email TYPE text;\n',
      'migrations/2024-01-02-000000_type/down.sql': 'SELECT 1;\n',
    });
    client = await TestClient.start({ root, capabilities: {} });
    const later = join(root, 'migrations/2024-01-02-000000_type/up.sql');
    expect(withCode(await client.open(later), TYPE)).toHaveLength(1);
    const wait = client.nextDiagnostics(later, (p) => withCode(p.diagnostics, TYPE).length === 0);
    const first = join(root, 'migrations/2024-01-01-000000_users');
    mkdirSync(first);
    writeFileSync(
      join(first, 'up.sql'),
      'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100));\n',
    );
    writeFileSync(join(first, 'down.sql'), 'DROP TABLE users;\n');
    expect(withCode(await wait, TYPE)).toEqual([]);
  });

  it('registers file watchers with a client that supports it', async () => {
    const root = writeFolder({ '20240101000000_users.sql': USERS });
    client = await TestClient.start({ root });
    await client.open(join(root, '20240101000000_users.sql'));
    expect(JSON.stringify(client.registrations)).toContain('workspace/didChangeWatchedFiles');
  });

  it('survives files and folders deleted under open documents', async () => {
    const root = writeFolder({
      'db/migrations/20240101000000_users.sql': USERS,
      'db/migrations/20240102000000_index.sql': INDEX,
    });
    client = await TestClient.start({ root });
    const dir = join(root, 'db/migrations');
    const later = join(dir, '20240102000000_index.sql');
    await client.open(later);
    rmSync(dir, { recursive: true, force: true });
    await client.fileEvents([
      { path: join(dir, '20240101000000_users.sql'), type: 3 },
      { path: later, type: 3 },
    ]);
    // the open buffer is still linted: its text is what the editor has
    const ds = await client.setText(later, `${INDEX}CREATE INDEX b_idx ON users (id);\n`);
    expect(Array.isArray(ds)).toBe(true);
    expect(await client.alive()).toBe(true);
    await client.close(later);
    expect(await client.alive()).toBe(true);
    mkdirSync(dir, { recursive: true });
    writeFileSync(later, INDEX);
    // the folder is back with only this migration: the table is not known to be new
    expect(withCode(await client.open(later), CIC)).toHaveLength(1);
  });

  it('clears the diagnostics of a closed document', async () => {
    const root = writeFolder({
      '20240101000000_users.sql': USERS,
      '20240102000000_index.sql': INDEX,
    });
    client = await TestClient.start({ root });
    const later = join(root, '20240102000000_index.sql');
    expect(withCode(await client.open(later), CIC)).toHaveLength(1);
    const cleared = client.nextDiagnostics(later, (p) => p.diagnostics.length === 0);
    await client.close(later);
    expect(await cleared).toEqual([]);
  });

  it('lints a new migration file opened before its file event arrives', async () => {
    const root = writeFolder({ '20240101000000_users.sql': USERS });
    client = await TestClient.start({ root });
    await client.open(join(root, '20240101000000_users.sql'));
    const fresh = join(root, '20240103000000_new.sql');
    writeFileSync(fresh, INDEX);
    expect(withCode(await client.open(fresh), CIC)).toHaveLength(1);
  });
});
