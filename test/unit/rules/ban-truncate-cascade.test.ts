import { beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'ban-truncate-cascade';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags TRUNCATE … CASCADE', () => {
    const [v] = hits('TRUNCATE users, accounts CASCADE;');
    expect(v.severity).toBe('warning');
    expect(v.message).toContain('TRUNCATE users, accounts CASCADE also empties every table');
  });

  it('names the tables the catalog knows it pulls in, transitively', () => {
    const root = writeFolder({
      '001_a.sql':
        '-- UP\nCREATE TABLE users (id int PRIMARY KEY);\n' +
        'CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));\n' +
        'CREATE TABLE items (order_id int REFERENCES orders (id));\nCREATE TABLE other (a int);\n-- DOWN\n',
      '002_b.sql': '-- UP\nTRUNCATE users CASCADE;\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.message).toContain('Today that includes orders, items.');
  });

  it('accepts TRUNCATE without CASCADE', () => {
    expect(hits('TRUNCATE users, orders;\nTRUNCATE users RESTRICT;')).toHaveLength(0);
  });

  it('disable fix round trip', () => {
    const sql = 'TRUNCATE users CASCADE;';
    const [v] = hits(sql);
    const fixed = applyToText(sql, v.fixes[0].edits);
    expect(hits(fixed)).toHaveLength(0);
  });
});
