import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'changing-column-type';

// each case: the column's type when created, the new type, whether PostgreSQL rewrites
const CASES: Array<[string, string, boolean]> = [
  ['varchar(50)', 'varchar(100)', false],
  ['varchar(50)', 'varchar', false],
  ['varchar(50)', 'text', false],
  ['text', 'varchar', false],
  ['numeric(10,2)', 'numeric(12,2)', false],
  ['numeric(10,2)', 'numeric', false],
  ['varbit(5)', 'varbit(10)', false],
  ['cidr', 'inet', false],
  ['time(3)', 'time(5)', false],
  ['timestamp(3)', 'timestamp', false],
  ['interval(2)', 'interval(4)', false],
  ['integer', 'int4', false],
  ['integer', 'bigint', true],
  ['varchar(50)', 'varchar(10)', true],
  ['text', 'varchar(10)', true],
  ['numeric(10,2)', 'numeric(12,4)', true],
  ['numeric', 'numeric(10,2)', true],
  ['timestamp', 'timestamptz', true],
  ['timestamp', 'timestamp(3)', true],
  ['inet', 'cidr', true],
  ['varchar(50)[]', 'text[]', true],
];

function lintChange(from: string, to: string, extra = '', over = {}) {
  const root = writeFolder({
    '001_t.sql': `-- UP\nCREATE TABLE t (id bigint, c ${from});\n-- DOWN\nDROP TABLE t;\n`,
    '002_alter.sql': `-- UP\nALTER TABLE t ALTER COLUMN c TYPE ${to}${extra};\n-- DOWN\n`,
  });
  return only(lintDir(root, over).violations, RULE);
}

beforeAll(() => initParser());

describe(RULE, () => {
  it('knows which changes PostgreSQL makes in place (measured on PostgreSQL 15)', () => {
    for (const [from, to, rewrites] of CASES)
      expect(lintChange(from, to).length, `${from} -> ${to}`).toBe(rewrites ? 1 : 0);
  });

  it('names the previous type, and says when it does not know it', () => {
    const [v] = lintChange('integer', 'bigint');
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Changing t.c from integer to bigint rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: reads and writes are blocked until it ends. Clients reading the column may break too.',
    );
    expect(v.fixes.map((f) => f.title)).toEqual([`Disable ${RULE} for this statement`]);
    const [unknown] = only(lintText('ALTER TABLE users ALTER COLUMN name TYPE text;'), RULE);
    expect(unknown.message).toContain('which pgmig does not know');
  });

  it('a USING expression other than the column itself rewrites', () => {
    expect(lintChange('varchar(50)', 'text', ' USING c::text')).toHaveLength(0);
    expect(lintChange('varchar(50)', 'text', ' USING trim(c)')[0].message).toContain(
      'with a USING expression',
    );
  });

  it('exempts new tables and columns added in the same migration', () => {
    const hits = (sql: string) => only(lintText(sql), RULE);
    expect(hits('CREATE TABLE t (c int);\nALTER TABLE t ALTER COLUMN c TYPE bigint;')).toHaveLength(
      0,
    );
    expect(
      hits('ALTER TABLE t ADD COLUMN c int;\nALTER TABLE t ALTER COLUMN c TYPE bigint;'),
    ).toHaveLength(0);
  });

  it('follows earlier type changes in the model', () => {
    const root = writeFolder({
      '001_t.sql': '-- UP\nCREATE TABLE t (c varchar(10));\n-- DOWN\nDROP TABLE t;\n',
      '002_a.sql': '-- UP\nALTER TABLE t ALTER COLUMN c TYPE varchar(100);\n-- DOWN\n',
      '003_b.sql': '-- UP\nALTER TABLE t ALTER COLUMN c TYPE varchar(50);\n-- DOWN\n',
    });
    const vs = only(lintDir(root).violations, RULE);
    expect(vs.map((v) => v.message.slice(0, 50))).toEqual([
      'Changing t.c from varchar(100) to varchar(50) rewr',
    ]);
  });

  it('timestamp ↔ timestamptz: explains the TimeZone condition, by PostgreSQL version', () => {
    const [v] = lintChange('timestamp', 'timestamptz');
    expect(v.message).toBe(
      'Changing t.c from timestamp to timestamptz rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock (reads and writes blocked until it ends) unless the session TimeZone is UTC; existing values are read as local times of the session TimeZone.',
    );
    expect(v.help).toContain("SET LOCAL TimeZone = 'UTC'");
    const [back] = lintChange('timestamptz', 'timestamp');
    expect(back.message).toContain('existing values are converted to the session TimeZone');
    const [v11] = lintChange('timestamp', 'timestamptz', '', { pgVersion: 11 });
    expect(v11.message).toContain('even when the session TimeZone is UTC (before PostgreSQL 12)');
    expect(v11.help).not.toContain('TimeZone');
    // losing precision rewrites whatever the TimeZone
    expect(lintChange('timestamp(6)', 'timestamptz(3)')[0].message).not.toContain('TimeZone');
  });

  it('says why the previous type is unknown', () => {
    const unknown = (sql: string) => only(lintText(sql), RULE)[0].message;
    expect(unknown('ALTER TABLE users ALTER COLUMN name TYPE text;')).toContain(
      'the table is not created by the migrations it has seen',
    );
    const root = writeFolder({
      '001_t.sql': '-- UP\nCREATE TABLE t (c int);\n-- DOWN\nDROP TABLE t;\n',
      '002_alter.sql':
        "-- UP\nDO $$ BEGIN EXECUTE 'select 1'; END $$;\nALTER TABLE t ALTER COLUMN c TYPE bigint;\n-- DOWN\n",
    });
    expect(only(lintDir(root).violations, RULE)[0].message).toContain(
      'a DO block runs dynamic SQL, so nothing is certain',
    );
  });
});
