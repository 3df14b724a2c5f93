import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../helpers/lint';
import { fixed, hasPreferredFix, hitsOf } from './_typeStyle';

const RULE = 'prefer-bigint-over-smallint';
const hits = hitsOf(RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags 16-bit integer columns', () => {
    const [v] = hits('CREATE TABLE t (rank smallint);');
    expect(v.severity).toBe('info');
    expect(v.message).toBe(
      't.rank is a 16-bit integer: it overflows at 32,767, and widening it then rewrites the table under an ACCESS EXCLUSIVE lock.',
    );
    expect(hits('CREATE TABLE t (a int2, b smallserial, c serial2, d smallint[]);')).toHaveLength(
      4,
    );
    expect(hits('ALTER TABLE t ADD COLUMN a smallint, ALTER COLUMN b TYPE int2;')).toHaveLength(2);
  });

  it('leaves wider integers and DOWN sections alone', () => {
    expect(hits('CREATE TABLE t (a int, b bigint, c serial);')).toHaveLength(0);
    expect(hits('-- UP\nSELECT 1;\n-- DOWN\nCREATE TABLE t (a smallint);\n')).toHaveLength(0);
  });

  it('fixes smallint → bigint and smallserial → bigserial', () => {
    expect(fixed(RULE, 'CREATE TABLE t (rank SMALLINT NOT NULL);')).toBe(
      'CREATE TABLE t (rank bigint NOT NULL);',
    );
    expect(fixed(RULE, 'CREATE TABLE t (id smallserial);')).toBe('CREATE TABLE t (id bigserial);');
    expect(fixed(RULE, 'ALTER TABLE t ADD COLUMN r int2[];')).toBe(
      'ALTER TABLE t ADD COLUMN r bigint[];',
    );
    expect(hasPreferredFix(RULE, 'ALTER TABLE t ALTER COLUMN r TYPE smallint;')).toBe(false);
  });
});
