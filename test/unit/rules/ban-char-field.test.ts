import { beforeAll, describe, expect, it } from 'vitest';
import { initParser } from '../helpers/lint';
import { fixed, hasPreferredFix, hitsOf } from './_typeStyle';

const RULE = 'ban-char-field';
const hits = hitsOf(RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags char, character and bpchar', () => {
    const [v] = hits('CREATE TABLE t (code char(2));');
    expect(v.severity).toBe('info');
    expect(v.message).toContain('t.code is char(2): PostgreSQL pads its values with spaces');
    expect(hits('CREATE TABLE t (a character(3), b char, c bpchar, d CHAR(4)[]);')).toHaveLength(4);
    expect(
      hits('ALTER TABLE t ADD COLUMN a char(1), ALTER COLUMN b TYPE character(2);'),
    ).toHaveLength(2);
  });

  it('leaves varchar, text, the internal "char" type and DOWN sections alone', () => {
    expect(
      hits('CREATE TABLE t (a varchar(3), b text, c "char", d character varying(2));'),
    ).toHaveLength(0);
    expect(hits('-- UP\nSELECT 1;\n-- DOWN\nCREATE TABLE t (a char(2));\n')).toHaveLength(0);
  });

  it('fixes char(n) → varchar(n), char → varchar(1), bpchar → text', () => {
    expect(fixed(RULE, 'CREATE TABLE t (code CHAR(2) NOT NULL);')).toBe(
      'CREATE TABLE t (code varchar(2) NOT NULL);',
    );
    expect(fixed(RULE, 'CREATE TABLE t (flag character);')).toBe(
      'CREATE TABLE t (flag varchar(1));',
    );
    expect(fixed(RULE, 'CREATE TABLE t (x bpchar);')).toBe('CREATE TABLE t (x text);');
    expect(fixed(RULE, 'ALTER TABLE t ADD COLUMN codes char(3)[];')).toBe(
      'ALTER TABLE t ADD COLUMN codes varchar(3)[];',
    );
  });

  it('offers no fix where the column takes part in a foreign key or an operator class', () => {
    expect(hasPreferredFix(RULE, 'CREATE TABLE t (c char(2) REFERENCES countries (code));')).toBe(
      false,
    );
    expect(
      hasPreferredFix(
        RULE,
        'CREATE TABLE t (c char(2));\nCREATE INDEX ON t (c bpchar_pattern_ops);',
      ),
    ).toBe(false);
  });
});
