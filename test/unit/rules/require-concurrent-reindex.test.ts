import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyToText,
  initParser,
  lintText,
  only,
  preferred,
  roundTripFolder,
  writeFolder,
} from '../helpers/lint';

const RULE = 'require-concurrent-reindex';
const hits = (sql: string, pgVersion?: number) =>
  only(lintText(sql, pgVersion ? { pgVersion } : {}), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags REINDEX TABLE / INDEX / SCHEMA / DATABASE with the locks they take', () => {
    const [t] = hits('REINDEX TABLE users;');
    expect(t.severity).toBe('warning');
    expect(t.message).toContain('SHARE lock on users');
    expect(t.message).toContain('ACCESS EXCLUSIVE lock on each of its indexes');
    expect(hits('REINDEX INDEX users_email_idx;')[0].message).toContain('ACCESS EXCLUSIVE');
    expect(hits('REINDEX SCHEMA app;')).toHaveLength(1);
    expect(hits('REINDEX DATABASE;')).toHaveLength(1);
  });

  it('accepts REINDEX … CONCURRENTLY', () => {
    expect(hits('REINDEX TABLE CONCURRENTLY users;')).toHaveLength(0);
    expect(hits('REINDEX (CONCURRENTLY) INDEX users_email_idx;')).toHaveLength(0);
  });

  it('exempts tables and indexes created in the same migration', () => {
    expect(hits('CREATE TABLE t (a int);\nREINDEX TABLE t;')).toHaveLength(0);
    expect(hits('CREATE INDEX CONCURRENTLY i ON users (a);\nREINDEX INDEX i;')).toHaveLength(0);
  });

  it('REINDEX SYSTEM has no concurrent form: no CONCURRENTLY fix', () => {
    const [v] = hits('REINDEX SYSTEM;');
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
    expect(v.help).toContain('cannot run CONCURRENTLY');
  });

  it('before PostgreSQL 12: reports without the fix and says why', () => {
    const [v] = hits('REINDEX TABLE users;', 11);
    expect(v.message).toContain('needs PostgreSQL 12');
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });

  it('inserts CONCURRENTLY after the kind keyword, options kept; round trip is clean', () => {
    const sql = 'REINDEX (VERBOSE) TABLE users;\nREINDEX INDEX public.users_email_idx;\n';
    const vs = hits(sql);
    expect(vs).toHaveLength(2);
    let fixed = applyToText(sql, preferred(vs[0]).edits);
    expect(fixed).toContain('REINDEX (VERBOSE) TABLE CONCURRENTLY users;');
    fixed = applyToText(fixed, preferred(hits(fixed)[0]).edits);
    expect(fixed).toContain('REINDEX INDEX CONCURRENTLY public.users_email_idx;');
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('dbmate folder: round trip adds transaction:false', () => {
    const root = writeFolder({
      '20240101000000_reindex.sql': '-- migrate:up\nREINDEX TABLE users;\n\n-- migrate:down\n',
    });
    roundTripFolder(root, RULE);
    const text = readFileSync(join(root, '20240101000000_reindex.sql'), 'utf8');
    expect(text).toContain('-- migrate:up transaction:false\nREINDEX TABLE CONCURRENTLY users;');
  });
});
