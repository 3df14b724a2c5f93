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

const RULE = 'ban-concurrent-index-creation-in-transaction';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags every CONCURRENTLY statement in a runner transaction, with the reason', () => {
    for (const stmt of [
      'CREATE INDEX CONCURRENTLY i ON users (email);',
      'DROP INDEX CONCURRENTLY i;',
      'REINDEX TABLE CONCURRENTLY users;',
      'ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;',
    ]) {
      const vs = hits(`-- UP\n${stmt}\n-- DOWN\n`);
      expect(vs, stmt).toHaveLength(1);
      expect(vs[0].severity).toBe('error');
      expect(vs[0].message).toContain('cannot run inside a transaction block');
      expect(vs[0].message).toContain('each -- UP/-- DOWN section runs in a transaction');
    }
  });

  it('flags it after an explicit BEGIN', () => {
    const [v] = hits('BEGIN;\nCREATE INDEX CONCURRENTLY i ON users (email);\nCOMMIT;');
    expect(v.message).toContain('an explicit BEGIN opened a transaction');
  });

  it('golang-migrate: after a COMMIT the rest of the query string is a new implicit transaction', () => {
    const root = writeFolder({
      '1_a.up.sql':
        'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n',
      '1_a.down.sql': '',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.message).toContain('after COMMIT the remaining statements run in a new implicit');
    roundTripFolder(root, RULE);
    const files = readdirSync(root).sort();
    expect(files).toEqual([
      '1_a.down.sql',
      '1_a.up.sql',
      '2_a_concurrently.down.sql',
      '2_a_concurrently.up.sql',
    ]);
    expect(readFileSync(join(root, '2_a_concurrently.up.sql'), 'utf8')).toBe(
      'CREATE INDEX CONCURRENTLY t_a ON t (a);\n',
    );
    // a file with the CIC alone runs in autocommit
    expect(
      only(
        lintDir(writeFolder({ '1_a.up.sql': 'CREATE INDEX CONCURRENTLY i ON t (a);\n' }))
          .violations,
        RULE,
      ),
    ).toEqual([]);
  });

  it('accepts CONCURRENTLY outside a transaction and non-concurrent statements in one', () => {
    expect(hits('CREATE INDEX CONCURRENTLY i ON users (email);')).toHaveLength(0);
    expect(
      hits('-- UP no-transaction\nCREATE INDEX CONCURRENTLY i ON users (email);'),
    ).toHaveLength(0);
    expect(hits('-- UP\nCREATE INDEX i ON users (email);')).toHaveLength(0);
    expect(
      hits('BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON users (a);'),
    ).toHaveLength(0);
  });

  it("runner with a switch: turns the section's transaction off (preferred); round trip clean", () => {
    const sql = '-- UP\nCREATE INDEX CONCURRENTLY i ON users (email);\n-- DOWN\nDROP INDEX i;\n';
    const fix = preferred(hits(sql)[0]);
    const fixed = applyToText(sql, fix.edits);
    expect(fixed).toContain('-- UP no-transaction\nCREATE INDEX CONCURRENTLY i');
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('goose folder: round trip adds NO TRANSACTION', () => {
    const root = writeFolder({
      '001_idx.sql':
        '-- +goose Up\nCREATE INDEX CONCURRENTLY i ON users (email);\n-- +goose Down\nDROP INDEX CONCURRENTLY i;\n',
    });
    roundTripFolder(root, RULE);
    expect(readFileSync(join(root, '001_idx.sql'), 'utf8')).toMatch(/^-- \+goose NO TRANSACTION\n/);
  });

  it('explicit BEGIN: moves the statement to a new non-transactional migration', () => {
    const root = writeFolder({
      '001_init.sql': '-- UP\nCREATE TABLE users (email text);\n-- DOWN\nDROP TABLE users;\n',
      '002_idx.sql':
        '-- UP no-transaction\nBEGIN;\nCREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(preferred(v).title).toContain('Move to a new migration');
    roundTripFolder(root, RULE);
    const files = readdirSync(root).sort();
    expect(files).toHaveLength(3);
    const moved = readFileSync(join(root, files[2]), 'utf8');
    expect(moved).toContain('-- UP no-transaction\nCREATE INDEX CONCURRENTLY users_email_idx');
    expect(moved).toContain('DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;');
    expect(readFileSync(join(root, '002_idx.sql'), 'utf8')).not.toContain('CONCURRENTLY');
  });

  it('offers no move for a DOWN section or without a folder', () => {
    const [down] = hits(
      '-- UP\n-- DOWN no-transaction\nBEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;\n',
    );
    expect(down.fixes.some((f) => f.preferred)).toBe(false);
    const [stdin] = hits('BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;\n');
    expect(stdin.fixes.some((f) => f.preferred)).toBe(false);
  });

  it('dbmate transaction:false with other statements: one implicit transaction, so the index moves out', () => {
    const root = writeFolder({
      'db/migrations/20240101000000_init.sql':
        '-- migrate:up\nCREATE TABLE users (id int, email text);\n-- migrate:down\nDROP TABLE users;\n',
      'db/migrations/20240102000000_idx.sql':
        '-- migrate:up transaction:false\nALTER TABLE users ADD COLUMN name text;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n-- migrate:down\nDROP INDEX users_email_idx;\n',
    });
    const dir = join(root, 'db/migrations');
    const [v] = lintDir(dir).violations.filter((x) => x.rule === RULE);
    expect(v.message).toContain('one query string');
    // adding transaction:false again would change nothing: the fix is a migration of its own
    const fix = preferred(v);
    expect(fix.edits.some((e) => e.createFile)).toBe(true);
    expect(fix.edits.some((e) => e.newText.includes('transaction:false') && !e.createFile)).toBe(
      false,
    );
    roundTripFolder(dir, RULE);
    expect(lintDir(dir).violations.filter((x) => x.rule === RULE)).toEqual([]);
  });
});
