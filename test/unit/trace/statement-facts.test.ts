/**
 * The static lock verdict (statementFacts.tableLocks) for the statements where `pgmig trace`
 * measured something else on PostgreSQL 15.20 and 18.6 (test/trace/disagreements.test.ts repeats
 * the measurements), and what that changes for the lock rules.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tableLocks } from '../../../server/src/linter/statementFacts';
import { parseSql } from '../../../server/src/parser/parse';
import { TextIndex } from '../../../server/src/text/positions';
import { initParser, lintDir, only, writeFolder } from '../helpers/lint';

beforeAll(() => initParser());

function locks(sql: string): Record<string, string> {
  const [s] = parseSql(new TextIndex(sql)).statements;
  return Object.fromEntries(tableLocks(s).map((l) => [l.table, l.mode]));
}

describe('tableLocks agrees with the measured locks', () => {
  it.each([
    ['LOCK TABLE orders', { 'public.orders': 'ACCESS EXCLUSIVE' }],
    ['LOCK TABLE orders, s.x IN SHARE MODE', { 'public.orders': 'SHARE', 's.x': 'SHARE' }],
    [
      'CREATE TABLE t2 (id int REFERENCES users (id), u int, FOREIGN KEY (u) REFERENCES s.acc (id))',
      { 'public.users': 'SHARE ROW EXCLUSIVE', 's.acc': 'SHARE ROW EXCLUSIVE' },
    ],
    ['CREATE TABLE t2 (id int PRIMARY KEY, parent int REFERENCES t2 (id))', {}],
    [
      "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
      { 'public.events': 'ACCESS EXCLUSIVE' },
    ],
    ['CREATE TABLE kid (x int) INHERITS (orders)', { 'public.orders': 'SHARE UPDATE EXCLUSIVE' }],
    [
      'ALTER TABLE orders ADD COLUMN owner int REFERENCES users (id)',
      { 'public.orders': 'ACCESS EXCLUSIVE', 'public.users': 'SHARE ROW EXCLUSIVE' },
    ],
    ['CREATE POLICY p ON users USING (true)', { 'public.users': 'ACCESS EXCLUSIVE' }],
    ['ALTER POLICY p ON users USING (false)', { 'public.users': 'ACCESS EXCLUSIVE' }],
    ['DROP POLICY p ON s.users', { 's.users': 'ACCESS EXCLUSIVE' }],
    [
      'CREATE RULE r AS ON INSERT TO orders DO INSTEAD NOTHING',
      { 'public.orders': 'ACCESS EXCLUSIVE' },
    ],
    ['DROP RULE r ON orders', { 'public.orders': 'ACCESS EXCLUSIVE' }],
    ['DROP TRIGGER t ON orders', { 'public.orders': 'ACCESS EXCLUSIVE' }],
    ['DROP VIEW v, w', { 'public.v': 'ACCESS EXCLUSIVE', 'public.w': 'ACCESS EXCLUSIVE' }],
    ['DROP MATERIALIZED VIEW m', { 'public.m': 'ACCESS EXCLUSIVE' }],
    ['CREATE STATISTICS s ON a, b FROM users', { 'public.users': 'SHARE UPDATE EXCLUSIVE' }],
    ["COMMENT ON TABLE users IS 'x'", { 'public.users': 'SHARE UPDATE EXCLUSIVE' }],
    ["COMMENT ON COLUMN s.users.email IS 'x'", { 's.users': 'SHARE UPDATE EXCLUSIVE' }],
    ["COMMENT ON FUNCTION f() IS 'x'", {}],
    [
      'ALTER INDEX users_email_idx RENAME TO users_mail_idx',
      { 'public.users_email_idx': 'SHARE UPDATE EXCLUSIVE' },
    ],
    ['ALTER TABLE users RENAME TO people', { 'public.users': 'ACCESS EXCLUSIVE' }],
    [
      'ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY',
      { 'public.events': 'SHARE UPDATE EXCLUSIVE', 'public.events_2024': 'ACCESS EXCLUSIVE' },
    ],
  ])('%s', (sql, expected) => {
    expect(locks(sql)).toEqual(expected);
  });
});

describe('require-lock-timeout follows the measured locks', () => {
  const base =
    '-- UP\nCREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE orders (id int);\n' +
    'CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);\n-- DOWN\n';
  const hitsAfterBase = (sql: string) => {
    const root = writeFolder({ '001_base.sql': base, '002_next.sql': `-- UP\n${sql}\n-- DOWN\n` });
    return only(lintDir(root).violations, 'require-lock-timeout').filter((v) =>
      v.file.endsWith('002_next.sql'),
    );
  };

  it('flags LOCK TABLE, a new table referencing an existing one, a policy and a new partition', () => {
    expect(hitsAfterBase('LOCK TABLE orders IN SHARE MODE;')[0]?.message).toContain(
      'SHARE lock on orders',
    );
    expect(
      hitsAfterBase('CREATE TABLE payments (id int, user_id int REFERENCES users (id));')[0]
        ?.message,
    ).toContain('SHARE ROW EXCLUSIVE lock on users');
    expect(hitsAfterBase('CREATE POLICY p ON users USING (true);')[0]?.message).toContain(
      'ACCESS EXCLUSIVE lock on users',
    );
    const partition =
      "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');";
    expect(hitsAfterBase(partition)[0]?.message).toContain('ACCESS EXCLUSIVE lock on events');
  });

  it('does not flag locks that let reads and writes through', () => {
    expect(hitsAfterBase("COMMENT ON TABLE users IS 'people';")).toHaveLength(0);
    expect(hitsAfterBase('ALTER INDEX users_pkey RENAME TO users_pk;')).toHaveLength(0);
    expect(
      hitsAfterBase('CREATE TABLE t (id int PRIMARY KEY, p int REFERENCES t (id));'),
    ).toHaveLength(0);
  });
});
