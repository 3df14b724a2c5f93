import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, shape } from './_folder';

beforeAll(() => initParser());

describe('dbmate format', () => {
  it('takes only the section whose marker says transaction:false out of the transaction', () => {
    const { folder } = load({
      '20240101000000_idx.sql':
        '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n',
      '20230101000000_t.sql': '-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down\n',
    });
    expect(folder.format).toBe('dbmate');
    expect(shape(folder)).toEqual([
      '20230101000000 [up:transaction:CreateStmt down:transaction:]',
      '20240101000000 [up:single-query:IndexStmt down:transaction:DropStmt]',
    ]);
    expect(folder.migrations[1].sections[0].transactionSource).toBe(
      '-- migrate:up transaction:false (dbmate sends the section as one query string)',
    );
  });

  it('writes transaction:false on both markers of a non-transactional follow-up', () => {
    const { root, folder } = load({
      '20230101000000_t.sql': '-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down\n',
    });
    const { written, reloaded } = addAfter(
      root,
      folder,
      folder.migrations[0],
      'idx',
      'CREATE INDEX CONCURRENTLY i ON t (a);',
      'DROP INDEX CONCURRENTLY i;',
      false,
    );
    expect(written).toEqual(['20230101000001_idx.sql']);
    expect(reloaded.format).toBe('dbmate');
    expect(shape(reloaded)[1]).toBe(
      '20230101000001 [up:single-query:IndexStmt down:single-query:DropStmt]',
    );
  });
});
