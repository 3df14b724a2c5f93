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

const RULE = 'ban-concurrent-index-if-not-exists';
const hits = (sql: string) => only(lintText(sql), RULE);
const CIC = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON app.users (email);';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags CREATE INDEX CONCURRENTLY IF NOT EXISTS', () => {
    const [v] = hits(CIC);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'If a previous attempt of this concurrent build failed, it left users_email_idx behind INVALID (written on every change, never used by queries), and IF NOT EXISTS then skips the build: the migration succeeds with a broken index.',
    );
    expect(v.help).toBe(
      'Run DROP INDEX CONCURRENTLY IF EXISTS app.users_email_idx; right before it and drop IF NOT EXISTS, so a retry rebuilds the index.',
    );
  });

  it('accepts CONCURRENTLY without IF NOT EXISTS, and IF NOT EXISTS without CONCURRENTLY', () => {
    expect(hits('CREATE INDEX CONCURRENTLY i ON t (a);')).toHaveLength(0);
    expect(hits('CREATE INDEX IF NOT EXISTS i ON t (a);')).toHaveLength(0);
  });

  it('autocommit: drops a leftover first and removes IF NOT EXISTS (never adds it)', () => {
    const sql = `-- UP no-transaction\n  ${CIC}\n-- DOWN\n`;
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe(
      '-- UP no-transaction\n  DROP INDEX CONCURRENTLY IF EXISTS app.users_email_idx;\n  CREATE INDEX CONCURRENTLY users_email_idx ON app.users (email);\n-- DOWN\n',
    );
    expect(fixed).not.toContain('IF NOT EXISTS');
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('goose NO TRANSACTION folder: round trip is clean', () => {
    const root = writeFolder({
      '001_users.sql': '-- +goose Up\nCREATE TABLE "Users" (email text);\n',
      '002_idx.sql':
        '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY IF NOT EXISTS "Users_email" ON "Users" (email);\n',
    });
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '002_idx.sql'), 'utf8')).toBe(
      '-- +goose NO TRANSACTION\n-- +goose Up\nDROP INDEX CONCURRENTLY IF EXISTS "Users_email";\nCREATE INDEX CONCURRENTLY "Users_email" ON "Users" (email);\n',
    );
  });

  it('goose StatementBegin block: the DROP goes above the block, not into its query string', () => {
    const root = writeFolder({
      '001_t.sql': '-- +goose Up\nCREATE TABLE t (a int);\n',
      '002_i.sql':
        '-- +goose NO TRANSACTION\n\n-- +goose Up\n-- +goose StatementBegin\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);\n-- +goose StatementEnd\n\n-- +goose Down\n-- +goose StatementBegin\nDROP INDEX CONCURRENTLY IF EXISTS t_a;\n-- +goose StatementEnd\n',
    });
    const after = roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '002_i.sql'), 'utf8')).toContain(
      '-- +goose Up\nDROP INDEX CONCURRENTLY IF EXISTS t_a;\n-- +goose StatementBegin\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n-- +goose StatementEnd\n',
    );
    expect(only(after, 'ban-concurrent-index-creation-in-transaction')).toHaveLength(0);
  });

  it('dbmate transaction:false and popx .autocommit. send the section as one string: removal only', () => {
    const dbmate = writeFolder({
      '20240101000000_t.sql': '-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down\n',
      '20240102000000_i.sql':
        '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);\n-- migrate:down\n',
    });
    expect(lintDir(dbmate).folder.format).toBe('dbmate');
    const [v] = only(lintDir(dbmate).violations, RULE);
    expect(preferred(v).title).toBe('Remove IF NOT EXISTS');
    const popx = writeFolder({
      '20240101000000000000_t.up.sql': 'CREATE TABLE t (a int);\n',
      '20240101000000000000_t.down.sql': 'DROP TABLE t;\n',
      '20240102000000000000_i.postgres.autocommit.up.sql':
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);\n',
      '20240102000000000000_i.postgres.autocommit.down.sql':
        'DROP INDEX CONCURRENTLY IF EXISTS t_a;\n',
    });
    const [p] = only(lintDir(popx).violations, RULE);
    expect(lintDir(popx).folder.format).toBe('popx');
    expect(preferred(p).title).toBe('Remove IF NOT EXISTS');
  });

  it('one query string (golang-migrate): a second statement would make a transaction block, so only IF NOT EXISTS goes', () => {
    const root = writeFolder({
      '000001_a.up.sql': 'CREATE TABLE t (a int);\n',
      '000001_a.down.sql': 'DROP TABLE t;\n',
      '000002_i.up.sql': 'CREATE INDEX CONCURRENTLY IF NOT EXISTS t_a ON t (a);\n',
      '000002_i.down.sql': 'DROP INDEX CONCURRENTLY IF EXISTS t_a;\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(preferred(v).title).toBe('Remove IF NOT EXISTS');
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '000002_i.up.sql'), 'utf8')).toBe(
      'CREATE INDEX CONCURRENTLY t_a ON t (a);\n',
    );
  });
});
