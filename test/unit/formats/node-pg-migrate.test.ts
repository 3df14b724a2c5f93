import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, shape } from './_folder';

beforeAll(() => initParser());

describe('node-pg-migrate format', () => {
  it('splits SQL files at -- Up Migration / -- Down Migration, ordered by timestamp', () => {
    const { folder } = load({
      '1700000000002_idx.sql':
        '-- Up Migration\nCREATE INDEX i ON t (a);\n\n-- Down Migration\nDROP INDEX i;\n',
      '1700000000001_init.sql':
        '-- Up Migration\nCREATE TABLE t (a int);\n-- Down Migration\nDROP TABLE t;\n',
      'template.js': 'module.exports = {};\n',
    });
    expect(folder.format).toBe('node-pg-migrate');
    expect(shape(folder)).toEqual([
      '1700000000001 [up:transaction:CreateStmt down:transaction:DropStmt]',
      '1700000000002 [up:transaction:IndexStmt down:transaction:DropStmt]',
    ]);
    const m = folder.migrations[0];
    expect(m.name).toBe('init');
    expect(m.label).toBe('1700000000001_init.sql');
    expect(m.downTarget).toEqual({ kind: 'same-file' });
    expect(m.sections[0].marker?.text).toBe('-- Up Migration');
    expect(folder.ignoredFiles).toEqual(['template.js']);
  });

  it('accepts marker spellings its regex accepts', () => {
    const m = loadSingleFile(
      '/n/1_x.sql',
      '  ---- up   MIGRATION\nSELECT 1;\n--down migration\nSELECT 2;\n',
    );
    expect(m.format).toBe('node-pg-migrate');
    expect(m.sections.map((s) => s.kind)).toEqual(['up', 'down']);
  });

  it('runs the whole file as UP when only a down marker is present, as node-pg-migrate does', () => {
    const m = loadSingleFile('/n/1_x.sql', 'SELECT 1;\n-- Down Migration\nSELECT 2;\n');
    expect(m.sections.map((s) => `${s.kind}:${s.parsed.statements.length}`)).toEqual([
      'up:2',
      'down:1',
    ]);
  });

  it('creates a follow-up file with both markers', () => {
    const { root, folder } = load({
      '1700000000001_init.sql': '-- Up Migration\nCREATE TABLE t (a int);\n-- Down Migration\n',
    });
    const { written, reloaded } = addAfter(
      root,
      folder,
      folder.migrations[0],
      'b',
      'ALTER TABLE t ADD COLUMN b int;',
      'ALTER TABLE t DROP COLUMN b;',
      true,
    );
    expect(written).toEqual(['1700000000002_b.sql']);
    expect(reloaded.format).toBe('node-pg-migrate');
    expect(shape(reloaded)[1]).toBe(
      '1700000000002 [up:transaction:AlterTableStmt down:transaction:AlterTableStmt]',
    );
  });
});
