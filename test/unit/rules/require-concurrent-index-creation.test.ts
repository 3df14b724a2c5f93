import { applyToText } from '../helpers/lint';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only, roundTripFolder, writeFolder, lintDir } from '../helpers/lint';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

beforeAll(() => initParser());

describe('require-concurrent-index-creation (engine smoke)', () => {
  it('flags CREATE INDEX on an existing table and exempts a table created in the same migration', () => {
    expect(
      only(lintText('CREATE INDEX i ON users (email);'), 'require-concurrent-index-creation'),
    ).toHaveLength(1);
    expect(
      only(
        lintText('CREATE TABLE users (email text);\nCREATE INDEX i ON users (email);'),
        'require-concurrent-index-creation',
      ),
    ).toHaveLength(0);
  });

  it('goose: adds CONCURRENTLY and NO TRANSACTION, and the round trip is clean', () => {
    const root = writeFolder({
      '001_users.sql':
        '-- +goose Up\nCREATE TABLE users (id bigint, email text);\n-- +goose Down\nDROP TABLE users;\n',
      '002_idx.sql':
        '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\n-- +goose Down\nDROP INDEX users_email_idx;\n',
    });
    expect(lintDir(root).folder.format).toBe('goose');
    roundTripFolder(root, 'require-concurrent-index-creation');
    const text = readFileSync(join(root, '002_idx.sql'), 'utf8');
    expect(text).toContain('-- +goose NO TRANSACTION');
    expect(text).toContain('CREATE INDEX CONCURRENTLY users_email_idx');
    expect(readdirSync(root)).toHaveLength(2);
  });
});

describe('require-concurrent-index-creation: runners without a switch, and versions', () => {
  it('golang-migrate multi-statement file: moves the index to a new migration of its own', () => {
    const root = writeFolder({
      '000001_users.up.sql': 'CREATE TABLE users (id bigint, email text);\n',
      '000001_users.down.sql': 'DROP TABLE users;\n',
      '000002_more.up.sql':
        'ALTER TABLE users ADD COLUMN name text;\nCREATE INDEX users_email_idx ON users (email);\n',
      '000002_more.down.sql': 'ALTER TABLE users DROP COLUMN name;\n',
    });
    const { folder } = lintDir(root);
    expect(folder.format).toBe('golang-migrate');
    roundTripFolder(root, 'require-concurrent-index-creation');
    const created = readdirSync(root).filter((f) => f.startsWith('000003_'));
    expect(created.sort()).toEqual([
      '000003_more_concurrently.down.sql',
      '000003_more_concurrently.up.sql',
    ]);
    expect(readFileSync(join(root, '000003_more_concurrently.up.sql'), 'utf8')).toContain(
      'CREATE INDEX CONCURRENTLY users_email_idx',
    );
    expect(readFileSync(join(root, '000002_more.up.sql'), 'utf8')).not.toContain('CREATE INDEX');
  });

  it('a lone statement on stdin just gets CONCURRENTLY', () => {
    const sql = 'CREATE UNIQUE INDEX i ON t (a);';
    const [v] = only(lintText(sql), 'require-concurrent-index-creation');
    expect(applyToText(sql, v.fixes[0].edits)).toBe('CREATE UNIQUE INDEX CONCURRENTLY i ON t (a);');
    expect(v.fixes.map((f) => f.title)).toContain(
      'Disable require-concurrent-index-creation for this statement',
    );
  });

  it('plain -- UP sections are marked no-transaction by the fix', () => {
    const sql = '-- UP\nCREATE INDEX i ON t (a);\n-- DOWN\nDROP INDEX i;\n';
    const [v] = only(lintText(sql), 'require-concurrent-index-creation');
    const fixed = applyToText(sql, v.fixes[0].edits);
    expect(fixed).toBe(
      '-- UP no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);\n-- DOWN\nDROP INDEX i;\n',
    );
    expect(only(lintText(fixed), 'require-concurrent-index-creation')).toHaveLength(0);
  });

  it('a partitioned parent gets the ON ONLY advice and no CONCURRENTLY fix', () => {
    const root = writeFolder({
      '001_p.sql': '-- +goose Up\nCREATE TABLE p (id int) PARTITION BY RANGE (id);\n',
      '002_i.sql': '-- +goose Up\nCREATE INDEX p_id ON p (id);\n',
    });
    const [v] = only(lintDir(root).violations, 'require-concurrent-index-creation');
    expect(v.help).toMatch(/ON ONLY/);
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });
});
