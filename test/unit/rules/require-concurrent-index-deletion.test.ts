import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyToText,
  initParser,
  lintDir,
  lintText,
  only,
  preferred,
  roundTripFolder,
  writeFolder,
} from '../helpers/lint';

const RULE = 'require-concurrent-index-deletion';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags DROP INDEX and names the table and the lock', () => {
    const root = writeFolder({
      '001_users.sql':
        '-- +goose Up\nCREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON users (email);\n',
      '002_drop.sql': '-- +goose Up\nDROP INDEX users_email_idx;\n-- +goose Down\n',
    });
    const vs = only(lintDir(root).violations, RULE);
    expect(vs).toHaveLength(1);
    expect(vs[0].severity).toBe('warning');
    expect(vs[0].message).toBe(
      'Dropping index users_email_idx without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on users: reads and writes wait until it finishes.',
    );
    expect(vs[0].fixes.some((f) => f.title.startsWith('Disable'))).toBe(true);
  });

  it('accepts DROP INDEX CONCURRENTLY', () => {
    expect(hits('DROP INDEX CONCURRENTLY users_email_idx;')).toHaveLength(0);
  });

  it('exempts indexes created in the same migration and indexes of new tables', () => {
    expect(hits('CREATE INDEX CONCURRENTLY i ON users (email);\nDROP INDEX i;')).toHaveLength(0);
    expect(hits('CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);\nDROP INDEX i;')).toHaveLength(
      0,
    );
  });

  it('offers no CONCURRENTLY fix for several indexes or CASCADE', () => {
    for (const sql of ['DROP INDEX a, b;', 'DROP INDEX a CASCADE;']) {
      const [v] = hits(sql);
      expect(v.fixes.some((f) => f.preferred)).toBe(false);
      expect(v.help).toContain('one index per statement');
    }
  });

  it('offers no CONCURRENTLY fix for an index of a partitioned table', () => {
    const root = writeFolder({
      '001_p.sql':
        '-- UP\nCREATE TABLE p (a int, b int) PARTITION BY RANGE (a);\nCREATE INDEX p_b ON p (b);\n-- DOWN\n',
      '002_drop.sql': '-- UP\nDROP INDEX p_b;\n-- DOWN\n',
    });
    const [drop] = only(lintDir(root).violations, RULE);
    expect(drop.fixes.some((f) => f.preferred)).toBe(false);
    expect(drop.help).toContain('cannot be dropped CONCURRENTLY');
  });

  it('outside a transaction: adds CONCURRENTLY and the round trip is clean', () => {
    const sql = 'DROP INDEX IF EXISTS users_email_idx;\n';
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe('DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;\n');
    expect(hits(fixed)).toHaveLength(0);
    expect(only(lintText(fixed), 'syntax-error')).toHaveLength(0);
  });

  it('plain -- UP section: also takes the section out of its transaction', () => {
    const sql = '-- UP\nDROP INDEX users_email_idx;\n-- DOWN\n';
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toContain('-- UP no-transaction\nDROP INDEX CONCURRENTLY users_email_idx;');
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('goose folder: round trip adds NO TRANSACTION', () => {
    const root = writeFolder({
      '001_users.sql':
        '-- +goose Up\nCREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON users (email);\n-- +goose Down\nDROP TABLE users;\n',
      '002_drop.sql': '-- +goose Up\nDROP INDEX users_email_idx;\n-- +goose Down\n',
    });
    roundTripFolder(root, RULE);
    const text = readFileSync(join(root, '002_drop.sql'), 'utf8');
    expect(text).toContain('-- +goose NO TRANSACTION');
    expect(text).toContain('DROP INDEX CONCURRENTLY users_email_idx;');
  });

  it('reports a DROP INDEX in a separate .down.sql file on that file', () => {
    const root = writeFolder({
      '1_a.up.sql': 'CREATE TABLE users (email text);\n',
      '1_a.down.sql': '-- revert\nDROP INDEX users_email_idx;\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.file.endsWith('1_a.down.sql')).toBe(true);
    expect(readFileSync(v.file, 'utf8').slice(v.start, v.end)).toBe('DROP INDEX users_email_idx');
  });

  it('golang-migrate: after a COMMIT the string is still a transaction, so the drop moves out', () => {
    const root = writeFolder({
      '1_a.up.sql':
        'CREATE TABLE users (email text);\nCREATE INDEX users_email_idx ON users (email);\n',
      '2_b.up.sql': 'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\nDROP INDEX users_email_idx;\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(preferred(v).title).toMatch(/^Move to a new migration 3_b_concurrently\.up\.sql/);
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '3_b_concurrently.up.sql'), 'utf8')).toBe(
      'DROP INDEX CONCURRENTLY users_email_idx;\n',
    );
    expect(readFileSync(join(root, '2_b.up.sql'), 'utf8')).not.toContain('DROP INDEX');
  });
});
