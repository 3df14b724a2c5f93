import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, relFiles, shape } from './_folder';

beforeAll(() => initParser());

describe('diesel format', () => {
  it('reads one directory per migration, ordered by version with dashes ignored', () => {
    const { root, folder } = load({
      '2019-03-22-170700_remove_downloads/up.sql': 'DROP TABLE crate_downloads;\n',
      '2019-03-22-170700_remove_downloads/down.sql': 'CREATE TABLE crate_downloads (id int);\n',
      '20161115111853_dumped_migration_117/up.sql': 'CREATE TABLE crates (id int);\n',
      '20161115111853_dumped_migration_117/down.sql': 'DROP TABLE crates;\n',
      '00000000000000_diesel_initial_setup/up.sql': 'SELECT 1;\n',
      '00000000000000_diesel_initial_setup/down.sql': '',
      '.keep': '',
    });
    expect(folder.format).toBe('diesel');
    expect(shape(folder)).toEqual([
      '00000000000000 [up:transaction:SelectStmt down:transaction:]',
      '20161115111853 [up:transaction:CreateStmt down:transaction:DropStmt]',
      '2019-03-22-170700 [up:transaction:DropStmt down:transaction:CreateStmt]',
    ]);
    const m = folder.migrations[2];
    expect(m.name).toBe('remove_downloads');
    expect(m.label).toBe('2019-03-22-170700_remove_downloads/up.sql');
    expect(relFiles(root, m)).toEqual([
      '2019-03-22-170700_remove_downloads/up.sql',
      '2019-03-22-170700_remove_downloads/down.sql',
    ]);
  });

  it('runs a migration outside a transaction when metadata.toml says so', () => {
    const { folder } = load({
      '2020-01-01-000000_idx/up.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);\n',
      '2020-01-01-000000_idx/down.sql': 'DROP INDEX CONCURRENTLY i;\n',
      '2020-01-01-000000_idx/metadata.toml': 'run_in_transaction = false\n',
      '2020-01-02-000000_tx/up.sql': 'CREATE TABLE t2 (a int);\n',
      '2020-01-02-000000_tx/down.sql': 'DROP TABLE t2;\n',
      '2020-01-02-000000_tx/metadata.toml': 'run_in_transaction = true\n',
    });
    expect(shape(folder)).toEqual([
      '2020-01-01-000000 [up:single-query:IndexStmt down:single-query:DropStmt]',
      '2020-01-02-000000 [up:transaction:CreateStmt down:transaction:DropStmt]',
    ]);
    expect(folder.migrations[0].sections[0].transactionSource).toContain('metadata.toml');
    expect(folder.ignoredFiles.sort()).toEqual([
      '2020-01-01-000000_idx/metadata.toml',
      '2020-01-02-000000_tx/metadata.toml',
    ]);
  });

  it('reads up.sql and down.sql on their own', () => {
    expect(
      loadSingleFile('/m/2020-01-01-000000_x/down.sql', 'DROP TABLE t;').sections[0].kind,
    ).toBe('down');
    const up = loadSingleFile('/m/2020-01-01-000000_x/up.sql', 'CREATE TABLE t (a int);');
    expect(up.format).toBe('diesel');
    expect(up.downTarget).toEqual({ kind: 'file', path: '/m/2020-01-01-000000_x/down.sql' });
  });

  it('creates a directory with up.sql, down.sql and, when needed, metadata.toml', () => {
    const { root, folder } = load({
      '2020-01-01-000000_t/up.sql': 'CREATE TABLE t (a int);\n',
      '2020-01-01-000000_t/down.sql': 'DROP TABLE t;\n',
    });
    const noTx = addAfter(
      root,
      folder,
      folder.migrations[0],
      'idx',
      'CREATE INDEX CONCURRENTLY i ON t (a);',
      'DROP INDEX CONCURRENTLY i;',
      false,
    );
    expect(noTx.written).toEqual([
      '2020-01-01-000001_idx/up.sql',
      '2020-01-01-000001_idx/down.sql',
      '2020-01-01-000001_idx/metadata.toml',
    ]);
    expect(noTx.reloaded.format).toBe('diesel');
    expect(shape(noTx.reloaded)[1]).toBe(
      '2020-01-01-000001 [up:single-query:IndexStmt down:single-query:DropStmt]',
    );
    const tx = addAfter(
      root,
      noTx.reloaded,
      noTx.reloaded.migrations[1],
      'b',
      'SELECT 1;',
      undefined,
      true,
    );
    expect(tx.written).toEqual(['2020-01-01-000002_b/up.sql', '2020-01-01-000002_b/down.sql']);
    expect(shape(tx.reloaded)[2]).toBe(
      '2020-01-01-000002 [up:transaction:SelectStmt down:transaction:]',
    );
  });
});
