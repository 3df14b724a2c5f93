import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';
import { roundTripText } from './_textRoundTrip';

const RULE = 'adding-field-with-default';
const hits = (sql: string, over = {}) => only(lintText(sql, over), RULE);
const add = (dflt: string, type = 'timestamptz') =>
  `ALTER TABLE users ADD COLUMN c ${type} DEFAULT ${dflt};`;

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags a volatile default on an existing table, naming the volatile function', () => {
    const sql = 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();';
    const [v] = hits(sql);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Adding token to users with a volatile default (gen_random_uuid() is volatile) rewrites the table and all its indexes under an ACCESS EXCLUSIVE lock: reads and writes are blocked until the rewrite ends.',
    );
    expect(sql.slice(v.start, v.end)).toBe('ADD COLUMN token uuid DEFAULT gen_random_uuid()');
    expect(v.fixes.at(-1)?.title).toBe(`Disable ${RULE} for this statement`);
    for (const f of ['random()', 'clock_timestamp()', "nextval('s')", 'uuid_generate_v4()'])
      expect(hits(add(f)), f).toHaveLength(1);
  });

  it('treats unknown and user functions as volatile (cautious)', () => {
    const [v] = hits(add('app.next_code()', 'text'));
    expect(v.message).toContain('app.next_code() is not a known stable or immutable built-in');
    expect(hits(add('my_default()', 'text'))).toHaveLength(1);
    // a volatile call nested in an otherwise harmless expression still counts
    expect(hits(add("now() + random() * interval '1 day'"))).toHaveLength(1);
  });

  it('from PostgreSQL 11, constants and stable built-ins are stored once (no rewrite)', () => {
    for (const d of [
      '0',
      "'pending'",
      "'{}'::jsonb",
      'true',
      'now()',
      'CURRENT_TIMESTAMP',
      'CURRENT_DATE',
      'LOCALTIMESTAMP',
      'CURRENT_USER',
      "now() - interval '1 day'",
      'extract(epoch from now())',
      "now() AT TIME ZONE 'utc'",
      'ARRAY[1, 2]',
      "lower('X')",
      'coalesce(NULL, 1)',
      '-1',
    ])
      expect(hits(add(d)), d).toHaveLength(0);
  });

  it('before PostgreSQL 11 every default rewrites the table', () => {
    const [v] = hits(add('0', 'int'), { pgVersion: 10 });
    expect(v.message).toBe(
      'Before PostgreSQL 11, adding c to users with a DEFAULT rewrites the table and all its indexes under an ACCESS EXCLUSIVE lock: reads and writes are blocked until the rewrite ends.',
    );
    expect(hits(add('0', 'int'), { pgVersion: 11 })).toHaveLength(0);
  });

  it('exempts new tables, DEFAULT NULL, and serial / identity / generated columns', () => {
    expect(hits(`CREATE TABLE users (id int);\n${add('random()')}`)).toHaveLength(0);
    expect(hits(add('NULL'))).toHaveLength(0);
    expect(hits(add('NULL::text', 'text'), { pgVersion: 10 })).toHaveLength(0);
    expect(hits('ALTER TABLE users ADD COLUMN id bigserial;')).toHaveLength(0);
    expect(
      hits('ALTER TABLE users ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;'),
    ).toHaveLength(0);
    expect(
      hits('ALTER TABLE users ADD COLUMN h int GENERATED ALWAYS AS (length(name)) STORED;'),
    ).toHaveLength(0);
    const root = writeFolder({
      '001_users.sql': '-- UP\nCREATE TABLE users (id int);\n-- DOWN\nDROP TABLE users;\n',
      '002_col.sql': `-- UP\n${add('random()', 'float8')}\n-- DOWN\nALTER TABLE users DROP COLUMN c;\n`,
    });
    expect(only(lintDir(root).violations, RULE)).toHaveLength(1);
  });

  it('fix: add the column bare, SET DEFAULT for new rows, note the backfill; round trip is clean', () => {
    const fixed = roundTripText(
      'ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();\n',
      RULE,
    );
    expect(fixed).toBe(
      'ALTER TABLE users ADD COLUMN token uuid;\n' +
        'ALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();\n' +
        '-- backfill existing rows in batches outside this migration, then make token NOT NULL: ADD CONSTRAINT … CHECK (token IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, SET NOT NULL\n',
    );
    // the column is nullable now, so nothing else fires on it
    expect(only(lintText(fixed), 'adding-required-field')).toHaveLength(0);
  });

  it('fix keeps the other subcommands and clauses of the statement', () => {
    const sql =
      'ALTER TABLE users ADD COLUMN a int, ADD COLUMN b float8 DEFAULT random() CHECK (b >= 0)';
    expect(roundTripText(sql, RULE)).toBe(
      'ALTER TABLE users ADD COLUMN a int, ADD COLUMN b float8 CHECK (b >= 0);\n' +
        'ALTER TABLE users ALTER COLUMN b SET DEFAULT random();\n' +
        '-- backfill existing rows in batches outside this migration',
    );
  });

  it('fix before PostgreSQL 11 (constant default); the NOT NULL note fits the version', () => {
    const fixed = roundTripText('ALTER TABLE users ADD COLUMN n int NOT NULL DEFAULT 0;', RULE, {
      pgVersion: 10,
    });
    expect(fixed).toBe(
      'ALTER TABLE users ADD COLUMN n int;\n' +
        'ALTER TABLE users ALTER COLUMN n SET DEFAULT 0;\n' +
        '-- backfill existing rows in batches outside this migration, then SET NOT NULL on n in a quiet period (before PostgreSQL 12 it scans the table)',
    );
  });

  it('offers no split for a primary key column (it needs its values at once)', () => {
    const [v] = hits('ALTER TABLE users ADD COLUMN k uuid PRIMARY KEY DEFAULT gen_random_uuid();');
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });
});
