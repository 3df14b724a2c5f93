import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only } from '../helpers/lint';
import { fixed } from './_typeStyle';

const RULE = 'identifier-too-long';
const hits = (sql: string) => only(lintText(sql), RULE);
const LONG = 'index_very_long_very_long_very_long_very_long_very_long_very_long'; // 65 bytes
const AT_63 = LONG.slice(0, 63);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags names over 63 bytes, wherever they are written', () => {
    const sql = `CREATE INDEX ${LONG} ON t (a);`;
    const [v] = hits(sql);
    expect(v.severity).toBe('info');
    expect(sql.slice(v.start, v.end)).toBe(LONG);
    expect(v.message).toBe(
      `${LONG.slice(0, 40)}… is 65 bytes long: PostgreSQL keeps only the first 63 bytes (${AT_63}).`,
    );
    expect(hits(`ALTER TABLE t ADD CONSTRAINT ${LONG} CHECK (a > 0);`)).toHaveLength(1);
    expect(hits(`DROP INDEX "${LONG}";`)).toHaveLength(1);
    // 64 bytes is one too many, also with spaces and escaped quotes inside quotes
    expect(hits(`CREATE TABLE ${'a'.repeat(64)} (id int);`)).toHaveLength(1);
    expect(hits(`CREATE TABLE "${'a b '.repeat(16)}" (id int);`)).toHaveLength(1);
    expect(hits(`CREATE TABLE "${'a""'.repeat(32)}" (id int);`)).toHaveLength(1);
    expect(hits(`CREATE TABLE "${'a""'.repeat(31)}a" (id int);`)).toHaveLength(0);
    // bytes, not characters: 32 two-byte letters are 64 bytes
    expect(hits(`CREATE TABLE ${'é'.repeat(32)} (id int);`)).toHaveLength(1);
  });

  it('leaves names of 63 bytes or less, strings and function bodies alone', () => {
    expect(hits(`CREATE TABLE ${AT_63} (id int);`)).toHaveLength(0);
    expect(hits(`CREATE TABLE ${'é'.repeat(31)} (id int);`)).toHaveLength(0);
    expect(hits(`INSERT INTO t VALUES ('${LONG}');`)).toHaveLength(0);
    expect(
      hits(`CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 AS ${LONG} $$;`),
    ).toHaveLength(0);
  });

  it('fixes to the name PostgreSQL stores, quoted as written, cut at a character boundary', () => {
    expect(fixed(RULE, `CREATE INDEX ${LONG} ON t (a);`)).toBe(`CREATE INDEX ${AT_63} ON t (a);`);
    expect(fixed(RULE, `CREATE TABLE "${LONG}" (id int);`)).toBe(
      `CREATE TABLE "${AT_63}" (id int);`,
    );
    // 31 é are 62 bytes; the 32nd would not fit
    expect(fixed(RULE, `CREATE TABLE ${'é'.repeat(40)} (id int);`)).toBe(
      `CREATE TABLE ${'é'.repeat(31)} (id int);`,
    );
    // an escaped quote stays escaped
    const quoted = `"${'a'.repeat(60)}""bcdef"`;
    expect(fixed(RULE, `CREATE TABLE ${quoted} (id int);`)).toBe(
      `CREATE TABLE "${'a'.repeat(60)}""bc" (id int);`,
    );
  });

  it('reports U&"…" names without rewriting them', () => {
    const [v] = hits(`CREATE TABLE U&"${'a'.repeat(70)}" (id int);`);
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });
});
