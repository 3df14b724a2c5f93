import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../../../server/src/parser/parse';
import { addAfter, load, shape } from './_folder';

beforeAll(() => initParser());

describe('goose format', () => {
  it('runs each migration in a transaction unless the file says NO TRANSACTION', () => {
    const { folder } = load({
      '00002_idx.sql':
        '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- +goose Down\nDROP INDEX CONCURRENTLY i;\n',
      '00001_t.sql':
        '-- +goose Up\n-- +goose StatementBegin\nCREATE TABLE t (a int);\n-- +goose StatementEnd\n-- +goose Down\nDROP TABLE t;\n',
      'main.go': 'package migrations\n',
    });
    expect(folder.format).toBe('goose');
    expect(shape(folder)).toEqual([
      '00001 [up:transaction:CreateStmt down:transaction:DropStmt]',
      '00002 [up:none:IndexStmt down:none:DropStmt]',
    ]);
    expect(folder.migrations[1].sections[1].transactionSource).toBe('-- +goose NO TRANSACTION');
    expect(folder.ignoredFiles).toEqual(['main.go']);
  });

  it('writes NO TRANSACTION follow-ups', () => {
    const { root, folder } = load({ '00001_t.sql': '-- +goose Up\nCREATE TABLE t (a int);\n' });
    const { written, reloaded } = addAfter(
      root,
      folder,
      folder.migrations[0],
      'idx',
      'CREATE INDEX CONCURRENTLY i ON t (a);',
      undefined,
      false,
    );
    expect(written).toEqual(['00002_idx.sql']);
    expect(reloaded.format).toBe('goose');
    expect(shape(reloaded)[1]).toBe('00002 [up:none:IndexStmt down:none:]');
  });
});
