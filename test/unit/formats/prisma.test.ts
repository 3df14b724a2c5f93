import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, shape } from './_folder';

beforeAll(() => initParser());

describe('prisma format', () => {
  it('reads <ts>_<name>/migration.sql as one query, with no down, in directory order', () => {
    const { folder } = load({
      '20240209110749_optional/migration.sql':
        'ALTER TABLE "Task" ALTER COLUMN "x" DROP NOT NULL;\nCREATE INDEX "i" ON "Task" ("x");\n',
      '20230404101137_init/migration.sql': 'CREATE TABLE "Task" (x text NOT NULL);\n',
      'migration_lock.toml': 'provider = "postgresql"\n',
    });
    expect(folder.format).toBe('prisma');
    expect(folder.detectedBy).toContain('migration_lock.toml');
    expect(shape(folder)).toEqual([
      '20230404101137 [up:single-query:CreateStmt]',
      '20240209110749 [up:single-query:AlterTableStmt,IndexStmt]',
    ]);
    const m = folder.migrations[1];
    expect(m.name).toBe('optional');
    expect(m.label).toBe('20240209110749_optional/migration.sql');
    expect(m.formatHasDown).toBe(false);
    expect(folder.ignoredFiles).toEqual(['migration_lock.toml']);
  });

  it('reads a migration.sql on its own', () => {
    const m = loadSingleFile('/p/20240101000000_x/migration.sql', 'SELECT 1;');
    expect(m.format).toBe('prisma');
    expect(m.formatHasDown).toBe(false);
    expect(m.sections.map((s) => `${s.kind}:${s.transaction}`)).toEqual(['up:single-query']);
  });

  it('creates a new migration directory', () => {
    const { root, folder } = load({
      '20240101000000_init/migration.sql': 'CREATE TABLE t (a int);\n',
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
    expect(written).toEqual(['20240101000001_idx/migration.sql']);
    expect(reloaded.format).toBe('prisma');
    expect(shape(reloaded)[1]).toBe('20240101000001 [up:single-query:IndexStmt]');
  });
});
