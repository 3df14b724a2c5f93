import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, roundTripFolder, writeFolder } from '../helpers/lint';
import { roundTripText } from './_textRoundTrip';

const RULE = 'adding-not-nullable-field';
const hits = (sql: string, over = {}) => only(lintText(sql, over), RULE);
const SET = 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;';
const RECIPE =
  'ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\n' +
  'ALTER TABLE users VALIDATE CONSTRAINT c;\n';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags SET NOT NULL on an existing column', () => {
    const [v] = hits(SET);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Setting email NOT NULL scans every row of users under an ACCESS EXCLUSIVE lock: reads and writes are blocked until the scan ends.',
    );
    expect(SET.slice(v.start, v.end)).toBe('ALTER COLUMN email SET NOT NULL');
  });

  it('exempts new tables, new columns and columns already NOT NULL', () => {
    expect(hits(`CREATE TABLE users (email text);\n${SET}`)).toHaveLength(0);
    expect(hits(`ALTER TABLE users ADD COLUMN email text;\n${SET}`)).toHaveLength(0);
    const root = writeFolder({
      '001_users.sql':
        '-- UP\nCREATE TABLE users (email text NOT NULL);\n-- DOWN\nDROP TABLE users;\n',
      '002_nn.sql': `-- UP\n${SET}\n-- DOWN\n`,
    });
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
  });

  it('a validated CHECK (col IS NOT NULL) avoids the scan from PostgreSQL 12 only', () => {
    expect(hits(RECIPE + SET)).toHaveLength(0);
    expect(hits(RECIPE + SET, { pgVersion: 12 })).toHaveLength(0);
    const [v11] = hits(RECIPE + SET, { pgVersion: 11 });
    expect(v11.help).toContain('Before PostgreSQL 12');
    expect(v11.fixes.some((f) => f.preferred)).toBe(false);
    // NOT VALID alone proves nothing
    expect(hits(RECIPE.split('\n')[0] + '\n' + SET)).toHaveLength(1);
  });

  it('PostgreSQL 12–17: CHECK NOT VALID, VALIDATE, SET NOT NULL, DROP CHECK; round trip is clean', () => {
    const fixed = roundTripText(`${SET}\n`, RULE);
    expect(fixed).toBe(
      'ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n' +
        'ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n' +
        'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n' +
        'ALTER TABLE users DROP CONSTRAINT users_email_not_null;\n',
    );
    expect(only(lintText(fixed), 'constraint-missing-not-valid')).toHaveLength(0);
  });

  it('PostgreSQL 18: NOT NULL … NOT VALID, then VALIDATE; round trip is clean', () => {
    expect(roundTripText(SET, RULE, { pgVersion: 18 })).toBe(
      'ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email NOT VALID;\n' +
        'ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;',
    );
  });

  it('keeps the other subcommands of the statement', () => {
    const sql = 'ALTER TABLE users ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET DEFAULT 0;';
    expect(roundTripText(sql, RULE)).toContain(
      'ALTER TABLE users ADD CONSTRAINT users_a_not_null CHECK (a IS NOT NULL) NOT VALID, ALTER COLUMN b SET DEFAULT 0;\n',
    );
  });

  it('goose folder: the rest of the recipe goes to a new migration; round trip is clean', () => {
    const root = writeFolder({
      '001_users.sql':
        '-- +goose Up\nCREATE TABLE users (id bigint, email text);\n-- +goose Down\nDROP TABLE users;\n',
      '002_nn.sql': `-- +goose Up\n${SET}\n-- +goose Down\nALTER TABLE users ALTER COLUMN email DROP NOT NULL;\n`,
    });
    const after = roundTripFolder(root, RULE);
    expect(only(after, RULE)).toHaveLength(0);
    expect(readFileSync(join(root, '002_nn.sql'), 'utf8')).toContain(
      '-- +goose Up\nALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\n',
    );
    const added = readdirSync(root).filter((f) => f.startsWith('003_'));
    expect(readFileSync(join(root, added[0]), 'utf8')).toContain(
      'ALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\n' +
        'ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n' +
        'ALTER TABLE users DROP CONSTRAINT users_email_not_null;',
    );
  });
});
