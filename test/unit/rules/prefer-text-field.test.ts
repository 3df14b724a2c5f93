import { beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintDir, roundTripFolder, writeFolder } from '../helpers/lint';
import { fixed, hasPreferredFix, hitsOf } from './_typeStyle';

const RULE = 'prefer-text-field';
const hits = hitsOf(RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags varchar with a length', () => {
    const sql = 'CREATE TABLE t (email character varying(255) NOT NULL);';
    const [v] = hits(sql);
    expect(v.severity).toBe('info');
    expect(sql.slice(v.start, v.end)).toBe('character varying(255)');
    expect(v.message).toBe(
      't.email is character varying(255): changing that limit later is an ALTER COLUMN … TYPE under an ACCESS EXCLUSIVE lock (lowering it rewrites the table).',
    );
    expect(
      hits('ALTER TABLE t ADD COLUMN a varchar(10), ALTER COLUMN b TYPE varchar(20);'),
    ).toHaveLength(2);
  });

  it('leaves text, unbounded varchar and DOWN sections alone', () => {
    expect(hits('CREATE TABLE t (a text, b varchar, c character varying);')).toHaveLength(0);
    expect(hits('-- UP\nSELECT 1;\n-- DOWN\nCREATE TABLE t (a varchar(5));\n')).toHaveLength(0);
  });

  it('fixes a new column to text with a CHECK that keeps the limit', () => {
    expect(fixed(RULE, 'CREATE TABLE t (email varchar(255) NOT NULL);')).toBe(
      'CREATE TABLE t (email text CHECK (char_length(email) <= 255) NOT NULL);',
    );
    expect(fixed(RULE, 'CREATE TABLE t ("Order" VARCHAR (12));')).toBe(
      'CREATE TABLE t ("Order" text CHECK (char_length("Order") <= 12));',
    );
    expect(fixed(RULE, 'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c varchar(3);')).toBe(
      'CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN c text CHECK (char_length(c) <= 3);',
    );
  });

  it('on an existing table the CHECK would be validated by a scan: offered, not preferred', () => {
    const sql = 'ALTER TABLE t ADD COLUMN c varchar(3);';
    expect(hasPreferredFix(RULE, sql)).toBe(false);
    const [v] = hits(sql);
    expect(v.fixes.map((f) => f.title)).toEqual([
      'Use text CHECK (char_length(c) <= 3)',
      'Use text (no length limit)',
      `Disable ${RULE} for this statement`,
    ]);
    expect(applyToText(sql, v.fixes[1].edits)).toBe('ALTER TABLE t ADD COLUMN c text;');
  });

  it('offers no fix where text could break the migration', () => {
    expect(hasPreferredFix(RULE, 'CREATE TABLE t (c varchar(3)[]);')).toBe(false);
    expect(hasPreferredFix(RULE, 'CREATE TABLE t (c varchar(3) REFERENCES codes (code));')).toBe(
      false,
    );
    expect(
      hasPreferredFix(
        RULE,
        'CREATE TABLE t (c varchar(3));\nCREATE INDEX ON t (c varchar_pattern_ops);',
      ),
    ).toBe(false);
    expect(hasPreferredFix(RULE, "CREATE TABLE t (c varchar(3), CHECK (c <> ''));")).toBe(false);
    // another table's foreign key to the column
    expect(
      hasPreferredFix(
        RULE,
        'CREATE TABLE codes (code varchar(3) PRIMARY KEY);\nCREATE TABLE t (c varchar(3) REFERENCES codes (code));',
      ),
    ).toBe(false);
  });

  it('the fix round-trips in a folder (goose format)', () => {
    const root = writeFolder({
      '20240101000000_t.sql':
        '-- +goose Up\nCREATE TABLE t (name varchar(80));\n-- +goose Down\nDROP TABLE t;\n',
    });
    roundTripFolder(root, RULE);
    const { folder } = lintDir(root);
    expect(folder.migrations[0].files[0].text).toContain(
      'CREATE TABLE t (name text CHECK (char_length(name) <= 80));',
    );
  });
});
