import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, roundTripFolder, writeFolder } from '../helpers/lint';

const RULE = 'ban-alter-enum-add-value-in-transaction';
const PG11 = { pgVersion: 11 };
const hits = (sql: string, over = {}) => only(lintText(sql, { ...PG11, ...over }), RULE);
const ADD = "ALTER TYPE mood ADD VALUE 'meh';";

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags ADD VALUE in a transaction before PostgreSQL 12 (an error: the migration fails)', () => {
    const [v] = hits(`-- UP\n${ADD}\n-- DOWN\n`);
    expect(v.severity).toBe('error');
    expect(v.message).toBe(
      'Before PostgreSQL 12, ALTER TYPE mood ADD VALUE cannot run inside a transaction block, and this one runs in one (each -- UP/-- DOWN section runs in a transaction): PostgreSQL rejects it and the migration fails.',
    );
    expect(hits(`BEGIN;\n${ADD}\nCOMMIT;`)).toHaveLength(1);
  });

  it('accepts PostgreSQL 12+, autocommit, a lone statement sent as one query, and RENAME VALUE', () => {
    expect(hits(`-- UP\n${ADD}\n-- DOWN\n`, { pgVersion: 12 })).toHaveLength(0);
    expect(hits(`-- UP no-transaction\n${ADD}\n-- DOWN\n`)).toHaveLength(0);
    expect(hits(ADD)).toHaveLength(0);
    expect(hits("-- UP\nALTER TYPE mood RENAME VALUE 'a' TO 'b';\n-- DOWN\n")).toHaveLength(0);
  });

  it('Flyway runs a migration of ADD VALUEs alone without a transaction before 12', () => {
    const alone = writeFolder({
      'V1__mood.sql': "CREATE TYPE mood AS ENUM ('ok');\n",
      'V2__meh.sql': `${ADD}\n`,
    });
    expect(only(lintDir(alone, PG11).violations, RULE)).toHaveLength(0);
    const mixed = writeFolder({
      'V1__mood.sql': "CREATE TYPE mood AS ENUM ('ok');\n",
      'V2__meh.sql': `${ADD}\nCREATE TABLE t (a int);\n`,
    });
    expect(only(lintDir(mixed, PG11).violations, RULE)).toHaveLength(1);
  });

  it('goose: the fix adds NO TRANSACTION; the round trip is clean', () => {
    const root = writeFolder({
      '001_mood.sql': "-- +goose Up\nCREATE TYPE mood AS ENUM ('ok');\n",
      '002_meh.sql': `-- +goose Up\n${ADD}\n`,
    });
    roundTripFolder(root, RULE, PG11);
    expect(readFileSync(join(root, '002_meh.sql'), 'utf8')).toBe(
      `-- +goose NO TRANSACTION\n-- +goose Up\n${ADD}\n`,
    );
  });

  it('golang-migrate with more statements: ADD VALUE moves to a migration of its own', () => {
    const root = writeFolder({
      '000001_a.up.sql': `CREATE TABLE t (a int);\n${ADD}\n`,
      '000001_a.down.sql': 'DROP TABLE t;\n',
    });
    roundTripFolder(root, RULE, PG11);
    expect(readFileSync(join(root, '000001_a.up.sql'), 'utf8')).toBe('CREATE TABLE t (a int);\n');
    expect(readFileSync(join(root, '000002_a_enum_value.up.sql'), 'utf8')).toBe(`${ADD}\n`);
  });

  it('does not move ADD VALUE after statements that use the value', () => {
    const root = writeFolder({
      '000001_a.up.sql': `${ADD}\nALTER TABLE t ALTER COLUMN m SET DEFAULT 'meh';\n`,
      '000001_a.down.sql': '',
    });
    const [v] = only(lintDir(root, PG11).violations, RULE);
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });
});
