import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only, roundTripFolder, writeFolder, lintDir } from './helpers/lint';
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
