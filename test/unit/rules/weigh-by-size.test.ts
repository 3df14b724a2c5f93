/**
 * With real table sizes (from a connected database), the findings of rules whose hazard grows
 * with the table say how big it is and how long the lock is held, and a rewrite or scan of a big
 * table under a lock that stops the application becomes an error. Without sizes nothing changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFolder } from '../../../server/src/folder/load';
import { lintFolder } from '../../../server/src/linter/lint';
import type { TableSize } from '../../../server/src/linter/tableSize';
import { initParser, only, settings, writeFolder } from '../helpers/lint';

beforeAll(initParser);

const GB = 1024 ** 3;

function sizes(...list: TableSize[]): Map<string, TableSize> {
  return new Map(list.map((s) => [s.table, s]));
}

const USERS = '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email varchar(100));\n';

function lint(files: Record<string, string>, tableSizes?: Map<string, TableSize>) {
  const folder = loadFolder(writeFolder(files), {});
  return lintFolder(folder, { settings: settings(), tableSizes });
}

describe('findings weighed by table size', () => {
  const files = {
    '20240101000000_users.sql': USERS,
    '20240102000000_type.sql':
      "-- +goose Up\nSET lock_timeout = '2s';\nALTER TABLE users ALTER COLUMN email TYPE int USING email::int;\n",
  };

  it('leaves findings alone without sizes', () => {
    const [v] = only(lint(files), 'changing-column-type');
    expect(v.message).not.toMatch(/connected database/);
    expect(v.severity).toBe('warning');
  });

  it('says the size and the lock time of a rewrite, and makes minutes of it an error', () => {
    const big = sizes({
      table: 'public.users',
      estimatedRows: 12_000_000,
      totalBytes: 3.4 * GB,
      heapBytes: 2 * GB,
    });
    const [v] = only(lint(files, big), 'changing-column-type');
    expect(v.message).toMatch(
      /On the connected database, users: ~12 M rows, 3\.4 GB — this rewrite holds ACCESS EXCLUSIVE for minutes\.$/,
    );
    expect(v.severity).toBe('error');
  });

  it('keeps the severity of a rewrite that takes seconds, and never lowers one', () => {
    const small = sizes({
      table: 'public.users',
      estimatedRows: 300,
      totalBytes: 48 * 1024,
      heapBytes: 16 * 1024,
    });
    const [v] = only(lint(files, small), 'changing-column-type');
    expect(v.message).toMatch(
      /users: ~300 rows, 48 kB — this rewrite holds ACCESS EXCLUSIVE for under a second/,
    );
    expect(v.severity).toBe('warning');
  });

  it('weighs an index build by the heap, and a lock without work by what waits behind it', () => {
    const big = sizes({
      table: 'public.users',
      estimatedRows: 50_000_000,
      totalBytes: 60 * GB,
      heapBytes: 50 * GB,
    });
    const vs = lint(
      {
        '20240101000000_users.sql': USERS,
        '20240102000000_index.sql':
          '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\n',
        '20240103000000_note.sql': '-- +goose Up\nALTER TABLE users ADD COLUMN note text;\n',
      },
      big,
    );
    const [index] = only(vs, 'require-concurrent-index-creation');
    expect(index.message).toMatch(/this index build holds SHARE for minutes/);
    expect(index.severity).toBe('error');
    const timeout = only(vs, 'require-lock-timeout').find((v) => v.file.endsWith('_note.sql'))!;
    expect(timeout.message).toMatch(
      /ACCESS EXCLUSIVE is taken only briefly \(no rewrite or scan\), but it waits behind every open transaction on users/,
    );
    expect(timeout.severity).toBe('warning');
  });

  it('says nothing when the slow part is on a table the connected database lacks', () => {
    const vs = lint(
      {
        '20240101000000_users.sql': USERS,
        '20240102000000_orders.sql':
          '-- +goose Up\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\n',
        '20240103000000_fk.sql':
          '-- +goose Up\nALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n',
      },
      sizes({ table: 'public.users', estimatedRows: 1e6, totalBytes: GB, heapBytes: GB }),
    );
    const [fk] = only(vs, 'adding-foreign-key-constraint');
    expect(fk.message).not.toMatch(/connected database/);
  });

  it('does not weigh tables created in the same migration, nor rules that do not grow with the table', () => {
    const vs = lint(
      {
        '20240101000000_users.sql':
          '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY, at timestamp);\nCREATE INDEX users_at_idx ON users (at);\n',
      },
      sizes({
        table: 'public.users',
        estimatedRows: 1e9,
        totalBytes: 900 * GB,
        heapBytes: 800 * GB,
      }),
    );
    expect(vs.length).toBeGreaterThan(0);
    for (const v of vs) expect(v.message).not.toMatch(/connected database/);
  });
});
