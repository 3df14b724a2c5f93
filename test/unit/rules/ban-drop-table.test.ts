import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'ban-drop-table';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags dropping a table the migration did not create', () => {
    const [v] = hits('DROP TABLE legacy_users;');
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Dropping legacy_users deletes its data and breaks every running client that still uses it.',
    );
    expect(hits('CREATE TABLE a (id int);\nDROP TABLE a, b;')[0].message).toMatch(/^Dropping b /);
  });

  it('exempts tables created earlier in the same migration', () => {
    expect(hits('CREATE TABLE tmp (id int);\nDROP TABLE tmp;')).toHaveLength(0);
    expect(hits('DROP INDEX i;')).toHaveLength(0);
  });

  it('DOWN: dropping what the UP created is clean, anything else is flagged', () => {
    const root = writeFolder({
      '001_init.sql':
        '-- +goose Up\nCREATE TABLE users (id int);\n-- +goose Down\nDROP TABLE users;\n',
      '002_more.sql':
        '-- +goose Up\nCREATE TABLE orders (id int);\n-- +goose Down\nDROP TABLE orders;\nDROP TABLE users;\n',
    });
    const vs = only(lintDir(root).violations, RULE);
    expect(vs.map((v) => v.message)).toEqual([
      'Dropping users deletes its data and breaks every running client that still uses it.',
    ]);
    expect(vs[0].file.endsWith('002_more.sql')).toBe(true);
  });
});
