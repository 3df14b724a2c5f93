import { beforeAll, describe, expect, it } from 'vitest';
import { loadSingleFile } from '../../../server/src/folder/load';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, shape } from './_folder';

beforeAll(() => initParser());

describe('plain format', () => {
  it('reads -- UP / -- DOWN sections, each in a transaction unless marked no-transaction', () => {
    const { folder } = load({
      '20240101000000_t.sql': '-- UP\nCREATE TABLE t (a int);\n-- DOWN\nDROP TABLE t;\n',
      '20240101000001_idx.sql':
        '-- UP no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- DOWN\nDROP INDEX i;\n',
    });
    expect(folder.format).toBe('plain');
    expect(shape(folder)).toEqual([
      '20240101000000 [up:transaction:CreateStmt down:transaction:DropStmt]',
      '20240101000001 [up:none:IndexStmt down:transaction:DropStmt]',
    ]);
    expect(folder.migrations[1].sections[0].transactionSource).toBe('-- UP no-transaction');
  });

  it('reads a marked file on its own', () => {
    const m = loadSingleFile('/p/x.sql', '-- UP: no-transaction\nVACUUM t;\n');
    expect(m.format).toBe('plain');
    expect(m.sections.map((s) => `${s.kind}:${s.transaction}`)).toEqual(['up:none']);
  });

  it('writes follow-ups with its own markers and switch', () => {
    const { root, folder } = load({ '0001_t.sql': '-- UP\nCREATE TABLE t (a int);\n-- DOWN\n' });
    const { written, reloaded } = addAfter(
      root,
      folder,
      folder.migrations[0],
      'idx',
      'CREATE INDEX CONCURRENTLY i ON t (a);',
      undefined,
      false,
    );
    expect(written).toEqual(['0002_idx.sql']);
    expect(reloaded.format).toBe('plain');
    expect(shape(reloaded)[1]).toBe('0002 [up:none:IndexStmt down:none:]');
  });
});
