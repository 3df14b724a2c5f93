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

const RULE = 'ban-uncommitted-transaction';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags a BEGIN that nothing commits, at the BEGIN', () => {
    const sql = 'CREATE TABLE a (x int);\nBEGIN;\nCREATE TABLE t (a int);\n';
    const vs = hits(sql);
    expect(vs).toHaveLength(1);
    expect(vs[0].severity).toBe('error');
    expect(sql.slice(vs[0].start, vs[0].end)).toBe('BEGIN');
    expect(vs[0].message).toContain('silently do not apply');
    expect(hits('START TRANSACTION;\nCREATE TABLE t (a int);')).toHaveLength(1);
  });

  it('COMMIT AND CHAIN leaves a transaction open', () => {
    expect(hits('BEGIN;\nCREATE TABLE t (a int);\nCOMMIT AND CHAIN;')).toHaveLength(1);
  });

  it('accepts COMMIT, END and ROLLBACK', () => {
    for (const end of ['COMMIT', 'END', 'ROLLBACK'])
      expect(hits(`BEGIN;\nCREATE TABLE t (a int);\n${end};`), end).toHaveLength(0);
    expect(hits('CREATE TABLE t (a int);')).toHaveLength(0);
  });

  it('leaves sections the runner wraps in its own transaction to transaction-nesting', () => {
    const vs = lintText('-- UP\nBEGIN;\nCREATE TABLE t (a int);\n-- DOWN\n');
    expect(only(vs, RULE)).toHaveLength(0);
    expect(only(vs, 'transaction-nesting')).toHaveLength(1);
  });

  it('Flyway commits its own transaction too; golang-migrate leaves the BEGIN open', () => {
    const flyway = lintDir(writeFolder({ 'V1__a.sql': 'BEGIN;\nCREATE TABLE t (a int);\n' }));
    expect(only(flyway.violations, RULE)).toHaveLength(0);
    expect(only(flyway.violations, 'transaction-nesting')).toHaveLength(1);
    const golang = writeFolder({
      '1_a.up.sql': 'CREATE TABLE u (a int);\nBEGIN;\nCREATE TABLE t (a int);\n',
      '1_a.down.sql': '',
    });
    expect(only(lintDir(golang).violations, RULE)).toHaveLength(1);
    roundTripFolder(golang, RULE);
    expect(readFileSync(join(golang, '1_a.up.sql'), 'utf8')).toBe(
      'CREATE TABLE u (a int);\nBEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n',
    );
  });

  it('checks each section on its own', () => {
    const sql =
      '-- UP no-transaction\nBEGIN;\nCREATE TABLE t (a int);\n-- DOWN no-transaction\nCOMMIT;\n';
    expect(hits(sql)).toHaveLength(1);
  });

  it('Add COMMIT: round trip is clean', () => {
    const sql = 'BEGIN;\nCREATE TABLE t (a int);\nCREATE INDEX i ON t (a);\n';
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe('BEGIN;\nCREATE TABLE t (a int);\nCREATE INDEX i ON t (a);\nCOMMIT;\n');
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('Add COMMIT terminates a last statement that has no semicolon', () => {
    const sql = 'BEGIN;\nCREATE TABLE t (a bigint)';
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe('BEGIN;\nCREATE TABLE t (a bigint);\nCOMMIT;');
    expect(lintText(fixed)).toHaveLength(0);
  });
});
