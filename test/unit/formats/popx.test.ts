import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, relFiles, shape } from './_folder';

beforeAll(() => initParser());

describe('popx format', () => {
  it('prefers .postgres. files, falls back to dialect-independent ones, ignores other dialects', () => {
    const { root, folder } = load({
      '20200101000000_users.postgres.up.sql': 'CREATE TABLE users (id uuid);\n',
      '20200101000000_users.up.sql': 'CREATE TABLE users (id int);\n',
      '20200101000000_users.mysql.up.sql': 'CREATE TABLE users (id char(36));\n',
      '20200101000000_users.sqlite3.up.sql': 'CREATE TABLE users (id text);\n',
      '20200101000000_users.down.sql': 'DROP TABLE users;\n',
      '20200101000000_users.mysql.down.sql': 'DROP TABLE users;\n',
      '20200101000001_grant.postgresql.up.sql': 'GRANT SELECT ON users TO app;\n',
      '20200101000001_grant.down.sql': '',
    });
    expect(folder.format).toBe('popx');
    expect(shape(folder)).toEqual([
      '20200101000000 [up:transaction:CreateStmt down:transaction:DropStmt]',
      '20200101000001 [up:transaction:GrantStmt down:transaction:]',
    ]);
    const first = folder.migrations[0];
    expect(relFiles(root, first)).toEqual([
      '20200101000000_users.postgres.up.sql',
      '20200101000000_users.down.sql',
    ]);
    expect(first.files[0].text).toContain('uuid');
    expect(first.label).toBe('20200101000000_users.postgres.up.sql');
    expect(folder.ignoredFiles.sort()).toEqual([
      '20200101000000_users.mysql.down.sql',
      '20200101000000_users.mysql.up.sql',
      '20200101000000_users.sqlite3.up.sql',
      '20200101000000_users.up.sql',
    ]);
  });

  it('runs .autocommit. files outside a transaction, with or without a dialect', () => {
    const { folder } = load({
      '1_idx.postgres.autocommit.up.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);\n',
      '1_idx.postgres.autocommit.down.sql': 'DROP INDEX CONCURRENTLY i;\n',
      '2_idx2.autocommit.up.sql': 'CREATE INDEX CONCURRENTLY j ON t (b);\n',
      '2_idx2.down.sql': 'DROP INDEX j;\n',
    });
    expect(folder.format).toBe('popx');
    expect(shape(folder)).toEqual([
      '1 [up:single-query:IndexStmt down:single-query:DropStmt]',
      '2 [up:single-query:IndexStmt down:transaction:DropStmt]',
    ]);
    expect(folder.migrations[0].sections[0].transactionSource).toContain('.autocommit.');
  });

  it('orders versions as popx does, as strings', () => {
    const { folder } = load({
      '20210101000000000001_b.postgres.up.sql': 'SELECT 2;',
      '20210101000000000001_b.postgres.down.sql': '',
      '20200101000000000009_a.postgres.up.sql': 'SELECT 1;',
      '20200101000000000009_a.postgres.down.sql': '',
    });
    expect(folder.migrations.map((m) => m.name)).toEqual(['a', 'b']);
  });

  it('wins over golang-migrate when names carry a dialect infix', () => {
    const { folder } = load({
      '1_a.up.sql': 'SELECT 1;',
      '1_a.down.sql': 'SELECT 1;',
      '2_b.up.sql': 'SELECT 1;',
      '2_b.down.sql': 'SELECT 1;',
      '3_c.postgres.up.sql': 'SELECT 1;',
      '3_c.postgres.down.sql': 'SELECT 1;',
    });
    expect(folder.format).toBe('popx');
  });

  it('recognises pop folders without infixes by their Go-template placeholders', () => {
    const { folder } = load({
      '00_init.up.sql': 'CREATE TABLE {{ index .Options "Namespace" }}.users (id int);\n',
      '20210101000000_more.up.sql': 'SELECT 1;\n',
    });
    expect(folder.format).toBe('popx');
    expect(folder.migrations.map((m) => m.sections[0].transaction)).toEqual([
      'transaction',
      'transaction',
    ]);
    // and without them the same names read as golang-migrate
    expect(load({ '00_init.up.sql': 'SELECT 1;\n' }).folder.format).toBe('golang-migrate');
  });

  it('reads a file with a popx infix on its own', () => {
    const m = loadSingleFile('/x/5_idx.postgres.autocommit.down.sql', 'DROP INDEX CONCURRENTLY i;');
    expect(m.format).toBe('popx');
    expect(m.sections.map((s) => `${s.kind}:${s.transaction}`)).toEqual(['down:single-query']);
    const up = loadSingleFile('/x/5_idx.postgres.up.sql', 'SELECT 1;');
    expect(up.downTarget).toEqual({ kind: 'file', path: '/x/5_idx.postgres.down.sql' });
  });

  it('creates .autocommit. files for non-transactional follow-ups, and always a down', () => {
    const { root, folder } = load({
      '20200101000000_users.postgres.up.sql': 'CREATE TABLE users (id int);\n',
      '20200101000000_users.postgres.down.sql': 'DROP TABLE users;\n',
    });
    const { written, reloaded } = addAfter(
      root,
      folder,
      folder.migrations[0],
      'users_idx',
      'CREATE INDEX CONCURRENTLY users_id ON users (id);',
      undefined,
      false,
    );
    expect(written).toEqual([
      '20200101000001_users_idx.postgres.autocommit.up.sql',
      '20200101000001_users_idx.postgres.autocommit.down.sql',
    ]);
    expect(reloaded.format).toBe('popx');
    expect(shape(reloaded)[1]).toBe(
      '20200101000001 [up:single-query:IndexStmt down:single-query:]',
    );
    const tx = addAfter(
      root,
      reloaded,
      reloaded.migrations[1],
      'more',
      'SELECT 1;',
      'SELECT 2;',
      true,
    );
    expect(tx.written[0]).toBe('20200101000002_more.postgres.up.sql');
    expect(shape(tx.reloaded)[2]).toBe(
      '20200101000002 [up:transaction:SelectStmt down:transaction:SelectStmt]',
    );
  });
});
