import { beforeAll, describe, expect, it } from 'vitest';
import { folderOfFile, loadSingleFile } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, relFiles, shape } from './_folder';

beforeAll(() => initParser());

describe('flyway format', () => {
  it('orders versions numerically across subfolders and runs repeatables last', () => {
    const { folder } = load({
      '2.40/V2_40_10__ten.sql': 'SELECT 10;\n',
      '2.40/V2_40_8__eight.sql': 'CREATE TABLE userroles (id int);\n',
      '2.39/V2_39_1__old.sql': 'SELECT 1;\n',
      'R__b_views.sql': 'CREATE OR REPLACE VIEW v2 AS SELECT 1;\n',
      'R__a_views.sql': 'CREATE OR REPLACE VIEW v1 AS SELECT 1;\n',
      'V2_40_9__nine.sql': 'SELECT 9;\n',
      'beforeMigrate.sql': 'SELECT 0;\n',
    });
    expect(folder.format).toBe('flyway');
    expect(folder.migrations.map((m) => m.id)).toEqual([
      '2_39_1',
      '2_40_8',
      '2_40_9',
      '2_40_10',
      'R__a_views',
      'R__b_views',
    ]);
    const eight = folder.migrations[1];
    expect(eight.label).toBe('2.40/V2_40_8__eight.sql');
    expect(eight.name).toBe('eight');
    expect(shape(folder)[1]).toBe('2_40_8 [up:auto:CreateStmt]');
    expect(shape(folder)[4]).toBe('R__a_views [up:auto:ViewStmt]');
    expect(folder.ignoredFiles).toEqual(['beforeMigrate.sql']);
  });

  it('has no down unless the folder keeps U undo files, which pair with their version', () => {
    const without = load({ 'V1__a.sql': 'SELECT 1;' }).folder;
    expect(without.migrations[0].formatHasDown).toBe(false);

    const { root, folder } = load({
      'V1__create.sql': 'CREATE TABLE t (a int);\n',
      'U1__create.sql': 'DROP TABLE t;\n',
      'V1.1__more.sql': 'ALTER TABLE t ADD COLUMN b int;\n',
    });
    expect(shape(folder)).toEqual([
      '1 [up:auto:CreateStmt down:auto:DropStmt]',
      '1.1 [up:auto:AlterTableStmt]',
    ]);
    expect(relFiles(root, folder.migrations[0])).toEqual(['V1__create.sql', 'U1__create.sql']);
    expect(folder.migrations.every((m) => m.formatHasDown)).toBe(true);
    expect(folder.migrations[1].downTarget).toEqual({
      kind: 'file',
      path: `${root}/U1.1__more.sql`,
    });
  });

  it('takes a migration out of the transaction when its .sql.conf says executeInTransaction=false', () => {
    const { folder } = load({
      'V1__t.sql': 'CREATE TABLE t (a int);\n',
      'V2__idx.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);\n',
      'V2__idx.sql.conf': 'executeInTransaction=false\n',
    });
    expect(shape(folder)).toEqual(['1 [up:auto:CreateStmt]', '2 [up:none:IndexStmt]']);
    expect(folder.migrations[1].sections[0].transactionSource).toContain('V2__idx.sql.conf');
    expect(folder.ignoredFiles).toEqual(['V2__idx.sql.conf']);
  });

  it('reads V and U files on their own', () => {
    const v = loadSingleFile('/db/V3__x.sql', 'SELECT 1;');
    expect(v.format).toBe('flyway');
    expect(v.sections.map((s) => `${s.kind}:${s.transaction}`)).toEqual(['up:auto']);
    expect(v.downTarget).toEqual({ kind: 'file', path: '/db/U3__x.sql' });
    expect(loadSingleFile('/db/U3__x.sql', 'SELECT 1;').sections[0].kind).toBe('down');
  });

  it('creates V files next to the previous one, with a .conf when not transactional', () => {
    const { root, folder } = load({
      '2.40/V2_40_8__t.sql': 'CREATE TABLE t (a int);\n',
      '2.40/V2_40_9__u.sql': 'SELECT 1;\n',
    });
    const { written, reloaded } = addAfter(
      root,
      folder,
      folder.migrations[0],
      'idx',
      'CREATE INDEX CONCURRENTLY i ON t (a);',
      undefined,
      false,
    );
    expect(written).toEqual(['2.40/V2_40_8_1__idx.sql', '2.40/V2_40_8_1__idx.sql.conf']);
    expect(reloaded.format).toBe('flyway');
    // right after 2_40_8 and before 2_40_9
    expect(shape(reloaded)).toEqual([
      '2_40_8 [up:auto:CreateStmt]',
      '2_40_8_1 [up:none:IndexStmt]',
      '2_40_9 [up:auto:SelectStmt]',
    ]);
  });

  it('writes an undo file for a follow-up only where the folder keeps undo files', () => {
    const { root, folder } = load({ 'V1__t.sql': 'SELECT 1;', 'U1__t.sql': 'SELECT 2;' });
    const { written, reloaded } = addAfter(
      root,
      folder,
      folder.migrations[0],
      'n',
      'SELECT 3;',
      'SELECT 4;',
      true,
    );
    expect(written).toEqual(['V2__n.sql', 'U2__n.sql']);
    expect(shape(reloaded)[1]).toBe('2 [up:auto:SelectStmt down:auto:SelectStmt]');
  });

  it('takes the folder of a file in a version subfolder to be the Flyway location above it', () => {
    expect(folderOfFile('/app/db/migration/2.40/V2_40_8__x.sql')).toBe('/app/db/migration');
    expect(folderOfFile('/app/db/migration/V1__x.sql')).toBe('/app/db/migration');
    // other formats keep the file's own folder even when it is named like a version
    expect(folderOfFile('/app/migrations/2.40/0001_x.up.sql')).toBe('/app/migrations/2.40');
  });
});
