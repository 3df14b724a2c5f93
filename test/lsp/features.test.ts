/**
 * Hover (locks and what they block, work, version notes; rule summaries in ignore comments),
 * the outline and folding, from the built server.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  DocumentSymbol,
  FoldingRange,
  Hover,
  MarkupContent,
} from 'vscode-languageserver-protocol';
import { writeFolder } from '../unit/helpers/lint';
import { TestClient, uriOf } from './client';

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

const USERS =
  '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email text, name text);\n\n-- +goose Down\nDROP TABLE users;\n';
const CHANGES = [
  '-- +goose Up',
  'CREATE INDEX users_email_idx ON users (email);',
  'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
  "SET lock_timeout = '2s';",
  'ALTER TABLE users ALTER COLUMN name SET NOT NULL;',
  '-- pgmig-ignore require-lock-timeout: checked by hand',
  'CREATE TABLE audit (id int);',
  '',
  '-- +goose Down',
  'DROP TABLE audit;',
  'DROP INDEX users_email_idx;',
  '',
].join('\n');

async function open() {
  const root = writeFolder({
    '20240101000000_users.sql': USERS,
    '20240102000000_changes.sql': CHANGES,
  });
  client = await TestClient.start({ root });
  const file = join(root, '20240102000000_changes.sql');
  await client.open(file);
  return { file, c: client };
}

async function hoverAt(c: TestClient, file: string, line: number, character: number) {
  const h: Hover | null = await c.connection.sendRequest('textDocument/hover', {
    textDocument: { uri: uriOf(file) },
    position: { line, character },
  });
  return h;
}

describe('hover', () => {
  it('shows the lock a statement takes, what it blocks, and how long it is held', async () => {
    const { file, c } = await open();
    const h = await hoverAt(c, file, 1, 5);
    const value = (h!.contents as MarkupContent).value;
    expect((h!.contents as MarkupContent).kind).toBe('markdown');
    expect(value).toContain('| `users` | SHARE | — | ✓ | ✓ |');
    expect(value).toContain(
      'held until the transaction commits (goose runs each migration in a transaction)',
    );
    expect(value).toMatch(/\*\*Work:\*\* builds an index on users/);
    expect(value).toMatch(/lock_timeout:\*\* not set/);
    expect(h!.range).toEqual({ start: { line: 1, character: 0 }, end: { line: 1, character: 45 } });
  });

  it('says when a statement rewrites the table, with the version notes', async () => {
    const { file, c } = await open();
    const value = ((await hoverAt(c, file, 2, 20))!.contents as MarkupContent).value;
    expect(value).toContain('| `users` | ACCESS EXCLUSIVE | ✓ | ✓ | ✓ |');
    expect(value).toMatch(/\*\*Work:\*\* rewrites users/);
    expect(value).toContain('**PostgreSQL 16:**');
    expect(value).toMatch(/non-volatile DEFAULT is stored in the catalog/);
  });

  it('knows a lock_timeout set earlier in the migration, and scans', async () => {
    const { file, c } = await open();
    const value = ((await hoverAt(c, file, 4, 3))!.contents as MarkupContent).value;
    expect(value).toMatch(/lock_timeout:\*\* set/);
    expect(value).toMatch(/scans every row of users/);
  });

  it('marks tables created earlier in the same migration', async () => {
    const { file, c } = await open();
    const value = ((await hoverAt(c, file, 9, 3))!.contents as MarkupContent).value;
    expect(value).toContain('| `audit` (new in this migration) | ACCESS EXCLUSIVE |');
    expect(value).not.toMatch(/lock_timeout/);
  });

  it("shows a rule's summary on its id in an ignore comment", async () => {
    const { file, c } = await open();
    const h = await hoverAt(c, file, 5, 20);
    const value = (h!.contents as MarkupContent).value;
    expect(value).toMatch(/^\*\*require-lock-timeout\*\*/);
    expect(value).toContain('no lock_timeout set');
    expect(value).toContain('docs/rules/require-lock-timeout.md');
    expect(h!.range).toEqual({
      start: { line: 5, character: 16 },
      end: { line: 5, character: 36 },
    });
  });

  it('answers null between statements and plaintext to clients without markdown', async () => {
    const { file, c } = await open();
    expect(await hoverAt(c, file, 7, 0)).toBeNull();
    await c.stop();
    const root = writeFolder({
      '20240101000000_users.sql': USERS,
      '20240102000000_changes.sql': CHANGES,
    });
    client = await TestClient.start({
      root,
      capabilities: { textDocument: { hover: { contentFormat: ['plaintext'] } } },
    });
    const other = join(root, '20240102000000_changes.sql');
    await client.open(other);
    const h = await hoverAt(client, other, 1, 5);
    expect((h!.contents as MarkupContent).kind).toBe('plaintext');
    expect((h!.contents as MarkupContent).value).not.toContain('**');
  });
});

describe('outline and folding', () => {
  it('has one symbol per section holding one per statement', async () => {
    const { file, c } = await open();
    const symbols: DocumentSymbol[] = await c.connection.sendRequest(
      'textDocument/documentSymbol',
      {
        textDocument: { uri: uriOf(file) },
      },
    );
    expect(symbols.map((s) => s.name)).toEqual(['UP  -- +goose Up', 'DOWN  -- +goose Down']);
    expect(symbols[0].children!.map((s) => s.name)).toEqual([
      'CREATE INDEX users_email_idx ON users (email)',
      'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid()',
      "SET lock_timeout = '2s'",
      'ALTER TABLE users ALTER COLUMN name SET NOT NULL',
      'CREATE TABLE audit (id int)',
    ]);
    expect(symbols[0].children![0].detail).toBe('IndexStmt');
    expect(symbols[1].range.start.line).toBe(8);
    expect(symbols[1].children).toHaveLength(2);
  });

  it('folds each section', async () => {
    const { file, c } = await open();
    const ranges: FoldingRange[] = await c.connection.sendRequest('textDocument/foldingRange', {
      textDocument: { uri: uriOf(file) },
    });
    expect(ranges.filter((r) => r.kind === 'region')).toEqual([
      { startLine: 0, endLine: 6, kind: 'region' },
      { startLine: 8, endLine: 10, kind: 'region' },
    ]);
  });
});
