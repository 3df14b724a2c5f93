import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only } from '../helpers/lint';

const RULE = 'ban-truncate';
const on = { rules: { [RULE]: 'warning' as const } };
const hits = (sql: string) => only(lintText(sql, on), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('is opt-in', () => {
    expect(only(lintText('TRUNCATE users;'), RULE)).toHaveLength(0);
  });

  it('flags TRUNCATE of existing tables', () => {
    const [v] = hits('TRUNCATE users, orders;');
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'TRUNCATE deletes every row of users, orders under an ACCESS EXCLUSIVE lock (reads and writes wait), and it is not MVCC-safe: transactions that started earlier see the tables empty.',
    );
    expect(hits('TRUNCATE TABLE ONLY users CASCADE;')).toHaveLength(1);
  });

  it('exempts tables created earlier in the migration', () => {
    expect(hits('CREATE TABLE tmp (id int);\nTRUNCATE tmp;')).toHaveLength(0);
    expect(hits('CREATE TABLE tmp (id int);\nTRUNCATE tmp, users;')[0].message).toContain(
      'every row of users under',
    );
  });
});
