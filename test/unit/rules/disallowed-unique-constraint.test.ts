import { readFileSync, readdirSync } from 'node:fs';
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

const RULE = 'disallowed-unique-constraint';
const hits = (sql: string) => only(lintText(sql), RULE);
const ADD = 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);';

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags ADD CONSTRAINT … UNIQUE and ADD COLUMN … UNIQUE on an existing table', () => {
    const [v] = hits(ADD);
    expect(v.severity).toBe('warning');
    expect(v.message).toBe(
      'Adding unique constraint users_email_key to users builds its unique index while holding an ACCESS EXCLUSIVE lock on users: reads and writes wait for the whole build.',
    );
    expect(v.help).not.toMatch(/use NOT VALID/i);
    const [col] = hits('ALTER TABLE users ADD COLUMN code text UNIQUE;');
    expect(col.message).toContain('column code with a UNIQUE constraint');
    expect(col.fixes.some((f) => f.preferred)).toBe(false);
  });

  it('exempts USING INDEX and tables created in the migration', () => {
    expect(hits('ALTER TABLE users ADD CONSTRAINT k UNIQUE USING INDEX k;')).toHaveLength(0);
    expect(hits(`CREATE TABLE users (email text);\n${ADD}`)).toHaveLength(0);
    expect(hits('ALTER TABLE users ADD CONSTRAINT c CHECK (a > 0) NOT VALID;')).toHaveLength(0);
  });

  it('outside a transaction: rewrites in place; round trip is clean', () => {
    const sql = `${ADD}\n`;
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe(
      'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;\n',
    );
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('keeps INCLUDE, NULLS NOT DISTINCT and DEFERRABLE, and quotes names', () => {
    const sql =
      'ALTER TABLE app."User" ADD CONSTRAINT "User_key" UNIQUE NULLS NOT DISTINCT (a, "B") INCLUDE (c) DEFERRABLE INITIALLY DEFERRED;';
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe(
      'CREATE UNIQUE INDEX CONCURRENTLY "User_key" ON app."User" (a, "B") INCLUDE (c) NULLS NOT DISTINCT;\n' +
        'ALTER TABLE app."User" ADD CONSTRAINT "User_key" UNIQUE USING INDEX "User_key" DEFERRABLE INITIALLY DEFERRED;',
    );
    expect(lintText(fixed).filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('no rewrite for an unnamed constraint or a statement with other commands', () => {
    expect(hits('ALTER TABLE users ADD UNIQUE (email);')[0].fixes.some((f) => f.preferred)).toBe(
      false,
    );
    expect(
      hits('ALTER TABLE users ADD COLUMN a int, ADD CONSTRAINT k UNIQUE (email);')[0].fixes.some(
        (f) => f.preferred,
      ),
    ).toBe(false);
  });

  it('runner transaction with a switch: rewrites and turns the transaction off', () => {
    const sql = `-- UP\n${ADD}\n-- DOWN\n`;
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toMatch(
      /^-- UP no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key/,
    );
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('goose folder: round trip', () => {
    const root = writeFolder({
      '001_a.sql':
        '-- +goose Up\nCREATE TABLE users (email text);\n-- +goose Down\nDROP TABLE users;\n',
      '002_b.sql': `-- +goose Up\n${ADD}\n-- +goose Down\nALTER TABLE users DROP CONSTRAINT users_email_key;\n`,
    });
    roundTripFolder(root, RULE);
    const text = readFileSync(join(root, '002_b.sql'), 'utf8');
    expect(text).toMatch(/^-- \+goose NO TRANSACTION\n/);
    expect(text).toContain('UNIQUE USING INDEX users_email_key;');
  });

  it('no switch (explicit BEGIN): two follow-up migrations, the index alone without a transaction', () => {
    const root = writeFolder({
      '001_a.sql': '-- UP\nCREATE TABLE users (email text);\n-- DOWN\nDROP TABLE users;\n',
      '002_b.sql': `-- UP no-transaction\nBEGIN;\n${ADD}\nCOMMIT;\n-- DOWN\n`,
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(preferred(v).title).toContain('Move to new migrations');
    roundTripFolder(root, RULE);
    const files = readdirSync(root).sort();
    expect(files).toHaveLength(4);
    const index = readFileSync(join(root, files[2]), 'utf8');
    const attach = readFileSync(join(root, files[3]), 'utf8');
    expect(index).toContain(
      '-- UP no-transaction\nCREATE UNIQUE INDEX CONCURRENTLY users_email_key',
    );
    expect(attach).toMatch(
      /^-- UP\nALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX/,
    );
    expect(readFileSync(join(root, '002_b.sql'), 'utf8')).not.toContain('UNIQUE');
  });
});
