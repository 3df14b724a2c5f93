import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../helpers/lint';
import { fixed, hasPreferredFix, hitsOf } from './_typeStyle';

const RULE = 'prefer-bigint-over-int';
const hits = hitsOf(RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags 32-bit integer columns in CREATE TABLE, ADD COLUMN and ALTER COLUMN TYPE', () => {
    const [v] = hits('CREATE TABLE t (id int PRIMARY KEY);');
    expect(v.severity).toBe('info');
    expect(v.message).toBe(
      't.id is a 32-bit integer: it overflows at 2,147,483,647, and widening it then rewrites the table under an ACCESS EXCLUSIVE lock.',
    );
    // the range is the type as written
    expect('CREATE TABLE t (id int PRIMARY KEY);'.slice(v.start, v.end)).toBe('int');
    expect(hits('CREATE TABLE t (a integer, b int4, c serial, d serial4, e int[]);')).toHaveLength(
      5,
    );
    expect(hits('ALTER TABLE t ADD COLUMN n INTEGER NOT NULL DEFAULT 0;')).toHaveLength(1);
    expect(hits('ALTER TABLE t ALTER COLUMN n TYPE int;')[0].message).toContain(
      't.n becomes a 32-bit',
    );
  });

  it('leaves other integer types, user types and DOWN sections alone', () => {
    expect(
      hits('CREATE TABLE t (a bigint, b int8, c bigserial, d smallint, e numeric);'),
    ).toHaveLength(0);
    expect(hits('CREATE TABLE t (a app.int4, b "Integer", c int4range);')).toHaveLength(0);
    // a DOWN recreates what was there before, whatever its style
    expect(hits('-- UP\nDROP TABLE t;\n-- DOWN\nCREATE TABLE t (id int);\n')).toHaveLength(0);
  });

  it('fixes the type in place: int → bigint, serial → bigserial, arrays kept', () => {
    expect(fixed(RULE, 'CREATE TABLE t (id INT PRIMARY KEY);')).toBe(
      'CREATE TABLE t (id bigint PRIMARY KEY);',
    );
    expect(fixed(RULE, 'CREATE TABLE t (id serial NOT NULL);')).toBe(
      'CREATE TABLE t (id bigserial NOT NULL);',
    );
    expect(fixed(RULE, 'CREATE TABLE t (ids integer [ ]);')).toBe('CREATE TABLE t (ids bigint[]);');
    expect(fixed(RULE, 'ALTER TABLE t ADD COLUMN n int4 DEFAULT 0;')).toBe(
      'ALTER TABLE t ADD COLUMN n bigint DEFAULT 0;',
    );
    // a foreign key to an integer column accepts a bigint column
    expect(fixed(RULE, 'CREATE TABLE t (user_id int REFERENCES users (id));')).toBe(
      'CREATE TABLE t (user_id bigint REFERENCES users (id));',
    );
  });

  it('offers no fix where the new type could break the migration', () => {
    expect(hasPreferredFix(RULE, 'ALTER TABLE t ALTER COLUMN n TYPE int;')).toBe(false);
    expect(hasPreferredFix(RULE, 'CREATE TABLE t (n int CHECK (n > 0));')).toBe(false);
    expect(hasPreferredFix(RULE, 'CREATE TABLE c (n int) INHERITS (p);')).toBe(false);
    expect(hasPreferredFix(RULE, 'CREATE TABLE t (n int);\nCREATE INDEX ON t (abs(n));')).toBe(
      false,
    );
  });
});
