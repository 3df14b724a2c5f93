import { describe, expect, it } from 'vitest';
import { dropStatements, statementLine } from '../../../client/src/migrations/sqlText';

describe('statements on one line', () => {
  it('drops comment lines, collapses whitespace and shortens', () => {
    expect(statementLine('-- why\nCREATE TABLE users (\n    id bigint\n);')).toBe(
      'CREATE TABLE users ( id bigint );',
    );
    const long = `SELECT ${'x, '.repeat(100)}1`;
    const line = statementLine(long, 40);
    expect(line).toHaveLength(40);
    expect(line.endsWith('…')).toBe(true);
  });

  it('masks role passwords and connection strings', () => {
    expect(statementLine("CREATE ROLE app LOGIN PASSWORD 'hunter2'")).toBe(
      "CREATE ROLE app LOGIN PASSWORD '***'",
    );
    expect(statementLine("ALTER ROLE app PASSWORD 'it''s'")).toBe("ALTER ROLE app PASSWORD '***'");
    expect(statementLine("SELECT dblink_connect('postgres://u:hunter2@h/db')")).not.toContain(
      'hunter2',
    );
  });

  it('lists the destructive statements of the DOWN sections only', () => {
    expect(
      dropStatements([
        {
          version: '2',
          name: 'orders',
          direction: 'down',
          transactional: true,
          statements: [
            'DROP INDEX orders_user_idx;',
            'ALTER TABLE orders\n  DROP COLUMN note;',
            'UPDATE t SET a = 1;',
          ],
        },
        {
          version: '3',
          name: 'x',
          direction: 'up',
          transactional: true,
          statements: ['DROP TABLE old;'],
        },
      ]),
    ).toEqual(['2: DROP INDEX orders_user_idx;', '2: ALTER TABLE orders DROP COLUMN note;']);
  });
});
