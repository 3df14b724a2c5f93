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

const RULE = 'require-lock-timeout';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags each statement that takes a traffic-blocking lock, naming the mode and table', () => {
    const sql = 'ALTER TABLE users ADD COLUMN a int;\nCREATE INDEX i ON orders (x);\n';
    const vs = hits(sql);
    expect(vs).toHaveLength(2);
    expect(vs[0].severity).toBe('warning');
    expect(vs[0].message).toContain(
      'takes an ACCESS EXCLUSIVE lock on users with no lock_timeout set',
    );
    expect(vs[0].message).toContain('every query on users queues behind it');
    expect(vs[1].message).toContain('takes a SHARE lock on orders');
  });

  it('names the table of a dropped index', () => {
    const root = writeFolder({
      '001_a.sql':
        '-- UP\nCREATE TABLE users (e text);\nCREATE INDEX users_e ON users (e);\n-- DOWN\n',
      '002_b.sql': '-- UP\nDROP INDEX users_e;\n-- DOWN\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.message).toContain('ACCESS EXCLUSIVE lock on users');
  });

  it('accepts a statement after SET lock_timeout, weak locks and new tables', () => {
    expect(hits("SET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a int;")).toHaveLength(0);
    expect(
      hits('-- UP\nSET LOCAL lock_timeout = 1000;\nALTER TABLE users ADD COLUMN a int;'),
    ).toHaveLength(0);
    expect(hits('CREATE INDEX CONCURRENTLY i ON users (a);')).toHaveLength(0);
    expect(hits('ALTER TABLE users VALIDATE CONSTRAINT c;')).toHaveLength(0);
    expect(hits('CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;')).toHaveLength(0);
  });

  it('still flags after SET LOCAL outside a transaction, lock_timeout = 0, or a SET that comes later', () => {
    expect(
      hits("SET LOCAL lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a int;"),
    ).toHaveLength(1);
    const [v] = hits('SET lock_timeout = 0;\nALTER TABLE users ADD COLUMN a int;');
    expect(v.message).toContain('lock_timeout disabled');
    expect(hits("ALTER TABLE users ADD COLUMN a int;\nSET lock_timeout = '1s';")).toHaveLength(1);
  });

  it('runner transaction: one SET LOCAL at the section start clears every violation', () => {
    const sql =
      '-- UP\n-- widen users\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n-- DOWN\n';
    const vs = hits(sql);
    expect(vs).toHaveLength(2);
    const fixed = applyToText(sql, preferred(vs[1]).edits);
    expect(fixed).toBe(
      "-- UP\nSET LOCAL lock_timeout = '2s';\n-- widen users\nALTER TABLE users ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;\n-- DOWN\n",
    );
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('no runner transaction: SET at the start and RESET at the end', () => {
    const sql = 'ALTER TABLE users ADD COLUMN a int;\nDROP TABLE old_users;\n';
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe(
      "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN a int;\nDROP TABLE old_users;\nRESET lock_timeout;\n",
    );
    expect(hits(fixed)).toHaveLength(0);
  });

  it('explicit BEGIN/COMMIT in the section: SET/RESET, because a COMMIT ends SET LOCAL', () => {
    const sql =
      '-- UP no-transaction\nBEGIN;\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;\nALTER TABLE orders ADD COLUMN b int;\n';
    const vs = hits(sql);
    expect(vs).toHaveLength(2);
    const fixed = applyToText(sql, preferred(vs[0]).edits);
    expect(fixed).toContain("-- UP no-transaction\nSET lock_timeout = '2s';\nBEGIN;");
    expect(fixed).toMatch(/ADD COLUMN b int;\nRESET lock_timeout;\n$/);
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('goose folder: round trip', () => {
    const root = writeFolder({
      '001_a.sql': '-- +goose Up\nCREATE TABLE users (a int);\n-- +goose Down\nDROP TABLE users;\n',
      '002_b.sql':
        '-- +goose Up\nALTER TABLE users ADD COLUMN b int;\nALTER TABLE users RENAME COLUMN a TO c;\n-- +goose Down\n',
    });
    const after = roundTripFolder(root, RULE);
    expect(only(after, RULE)).toHaveLength(0);
    expect(readFileSync(join(root, '002_b.sql'), 'utf8')).toContain(
      "-- +goose Up\nSET LOCAL lock_timeout = '2s';\nALTER TABLE users ADD COLUMN b int;",
    );
  });

  it('a section that resets lock_timeout later: the SET goes right before the statement', () => {
    const sql =
      "SET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a int;\nRESET lock_timeout;\n  ALTER TABLE users ADD COLUMN b int;\n";
    const [v] = hits(sql);
    expect(sql.slice(v.start, v.end)).toBe('ALTER TABLE users ADD COLUMN b int');
    const fixed = applyToText(sql, preferred(v).edits);
    expect(fixed).toBe(
      "SET lock_timeout = '1s';\nALTER TABLE users ADD COLUMN a int;\nRESET lock_timeout;\n  SET lock_timeout = '2s';\n  ALTER TABLE users ADD COLUMN b int;\n  RESET lock_timeout;\n",
    );
    expect(hits(fixed)).toHaveLength(0);
    // in the runner's transaction SET LOCAL before it is enough
    const tx = '-- UP\nSET LOCAL lock_timeout = 0;\nALTER TABLE users ADD COLUMN b int;\n-- DOWN\n';
    const txFixed = applyToText(tx, preferred(hits(tx)[0]).edits);
    expect(txFixed).toContain(
      "lock_timeout = 0;\nSET LOCAL lock_timeout = '2s';\nALTER TABLE users ADD COLUMN b int;\n-- DOWN",
    );
    expect(hits(txFixed)).toHaveLength(0);
  });

  it('no fix where SET would pull a non-transactional statement into a transaction', () => {
    const flyway = writeFolder({ 'V1__vacuum.sql': 'VACUUM FULL users;\n' });
    const [v] = only(lintDir(flyway).violations, RULE);
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
    const golang = writeFolder({ '1_a.up.sql': 'VACUUM FULL users;\n', '1_a.down.sql': '' });
    const [g] = only(lintDir(golang).violations, RULE);
    expect(g.fixes.some((f) => f.preferred)).toBe(false);
  });

  it('golang-migrate: SET LOCAL in a multi-statement file (one implicit transaction)', () => {
    const root = writeFolder({
      '1_a.up.sql': 'ALTER TABLE users ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;\n',
      '1_a.down.sql': '',
    });
    const after = roundTripFolder(root, RULE);
    expect(only(after, RULE)).toHaveLength(0);
    expect(readFileSync(join(root, '1_a.up.sql'), 'utf8')).toMatch(
      /^SET LOCAL lock_timeout = '2s';\nALTER TABLE/,
    );
  });
});
