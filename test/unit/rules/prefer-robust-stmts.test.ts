import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyToText,
  initParser,
  lintDir,
  lintText,
  only,
  roundTripFolder,
  writeFolder,
} from '../helpers/lint';
import { roundTripText } from './_textRoundTrip';

const RULE = 'prefer-robust-stmts';
const on = { rules: { [RULE]: 'warning' as const } };
// something after the statement: a failing last statement undoes itself and is not flagged
const THEN = '\nSELECT 1;';
const hits = (sql: string) => only(lintText(sql, on), RULE);
const fix = (sql: string) => roundTripText(sql + THEN, RULE, on).slice(0, -THEN.length);

beforeAll(() => initParser());

describe(RULE, () => {
  it('is opt-in', () => {
    expect(only(lintText('CREATE TABLE t (id int);'), RULE)).toHaveLength(0);
  });

  it('flags statements that fail when run again outside a transaction', () => {
    const [v] = hits(`CREATE TABLE t (id int);${THEN}`);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Missing IF NOT EXISTS: this runs outside a transaction, so if the migration fails after it, running the migration again fails here.',
    );
    for (const sql of [
      'CREATE INDEX i ON t (a);',
      'CREATE SEQUENCE s;',
      'CREATE SCHEMA s;',
      'CREATE EXTENSION pgcrypto;',
      'DROP TABLE t;',
      'DROP INDEX CONCURRENTLY i;',
      'DROP MATERIALIZED VIEW v;',
      'DROP FUNCTION f(int);',
      'CREATE VIEW v AS SELECT 1;',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;',
      'ALTER TABLE t ADD COLUMN a int;',
      'ALTER TABLE t DROP COLUMN a;',
      'ALTER TABLE t DROP CONSTRAINT c;',
      'ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);',
    ])
      expect(hits(sql + THEN), sql).toHaveLength(1);
    // the last statement of the section: if it fails, it undoes itself
    expect(hits('CREATE TABLE t (id int);')).toHaveLength(0);
  });

  it('leaves robust statements, transactions and unnamed indexes alone', () => {
    for (const sql of [
      'CREATE TABLE IF NOT EXISTS t (id int);',
      'CREATE INDEX IF NOT EXISTS i ON t (a);',
      'CREATE INDEX ON t (a);',
      'DROP TABLE IF EXISTS t;',
      'CREATE OR REPLACE VIEW v AS SELECT 1;',
      'ALTER TABLE t ADD COLUMN IF NOT EXISTS a int, DROP COLUMN IF EXISTS b;',
      'ALTER TABLE t DROP CONSTRAINT IF EXISTS c;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);',
      'CREATE TEMP TABLE t (id int);',
      'BEGIN;\nCREATE TABLE t (id int);\nDROP TABLE u;\nCOMMIT;',
      '-- UP\nCREATE TABLE t (id int);\nDROP TABLE u;\n',
    ])
      expect(hits(sql + THEN), sql).toHaveLength(0);
  });

  it('adds IF [NOT] EXISTS where the grammar takes it', () => {
    expect(fix('create unlogged table t (id int);')).toBe(
      'create unlogged table IF NOT EXISTS t (id int);',
    );
    expect(fix('CREATE UNIQUE INDEX i ON t (a);')).toBe(
      'CREATE UNIQUE INDEX IF NOT EXISTS i ON t (a);',
    );
    expect(fix('DROP INDEX CONCURRENTLY i;')).toBe('DROP INDEX CONCURRENTLY IF EXISTS i;');
    expect(fix('DROP MATERIALIZED VIEW v;')).toBe('DROP MATERIALIZED VIEW IF EXISTS v;');
    expect(fix('ALTER TABLE t ADD a int;')).toBe('ALTER TABLE t ADD IF NOT EXISTS a int;');
    expect(fix('ALTER TABLE t ADD COLUMN a int;')).toBe(
      'ALTER TABLE t ADD COLUMN IF NOT EXISTS a int;',
    );
    expect(fix('ALTER TABLE t DROP COLUMN a;')).toBe('ALTER TABLE t DROP COLUMN IF EXISTS a;');
    expect(fix('ALTER TABLE t DROP CONSTRAINT c;')).toBe(
      'ALTER TABLE t DROP CONSTRAINT IF EXISTS c;',
    );
    expect(fix('CREATE VIEW v AS SELECT 1;')).toBe('CREATE OR REPLACE VIEW v AS SELECT 1;');
    expect(fix('CREATE SEQUENCE app.s;')).toBe('CREATE SEQUENCE IF NOT EXISTS app.s;');
  });

  it('ADD CONSTRAINT: offers dropping it IF EXISTS first (not preferred)', () => {
    const sql = `ALTER TABLE app.t ADD CONSTRAINT "C" CHECK (a > 0);${THEN}`;
    const [v] = hits(sql);
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
    const out = applyToText(sql, v.fixes[0].edits);
    expect(out).toBe(`ALTER TABLE app.t DROP CONSTRAINT IF EXISTS "C";\n${sql}`);
    expect(only(lintText(out, on), RULE)).toHaveLength(0);
  });

  it('CREATE INDEX CONCURRENTLY: drops an invalid index left by a failed run, never IF NOT EXISTS', () => {
    const sql = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON app.users (email);';
    const [v] = hits(sql);
    expect(v.message).toContain('leaves an INVALID index users_email behind');
    expect(fix(sql)).toBe(`DROP INDEX CONCURRENTLY IF EXISTS app.users_email;\n${sql}`);
    expect(
      hits('DROP INDEX CONCURRENTLY IF EXISTS i;\nCREATE INDEX CONCURRENTLY i ON t (a);'),
    ).toHaveLength(0);
  });

  it('CIC alone in a file sent as one query string: nothing can go before it, not judged', () => {
    const root = writeFolder({
      '1_idx.up.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);\n',
      '1_idx.down.sql': 'DROP INDEX IF EXISTS i;\n',
    });
    expect(only(lintDir(root, on).violations, RULE)).toHaveLength(0);
  });

  it('the fix round-trips where the runner leaves the section outside a transaction', () => {
    const root = writeFolder({
      '20240101000000_t.sql':
        '-- +goose Up\n-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n-- +goose Down\nDROP INDEX IF EXISTS users_email;\n',
    });
    const after = roundTripFolder(root, RULE, on);
    expect(only(after, 'ban-concurrent-index-creation-in-transaction')).toHaveLength(0);
  });
});
