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

const RULE = 'transaction-nesting';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it("flags BEGIN inside the runner's transaction and explains the early COMMIT", () => {
    const sql = '-- UP\nBEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n-- DOWN\n';
    const vs = hits(sql);
    expect(vs).toHaveLength(1);
    expect(vs[0].severity).toBe('warning');
    expect(sql.slice(vs[0].start, vs[0].end)).toBe('BEGIN');
    expect(vs[0].message).toContain("ends the runner's transaction early");
    expect(vs[0].message).toContain('each -- UP/-- DOWN section runs in a transaction');
  });

  it("flags a lone COMMIT that ends the runner's transaction", () => {
    const [v] = hits('-- UP\nCREATE TABLE t (a int);\nCOMMIT;\nCREATE TABLE u (a int);\n');
    expect(v.message).toMatch(/^COMMIT ends the transaction the runner opened/);
  });

  it('a BEGIN with no COMMIT after it in the runner transaction only does nothing', () => {
    const [v] = hits('-- UP\nBEGIN;\nCREATE TABLE t (a int);\n-- DOWN\n');
    expect(v.message).toContain('only warns and the BEGIN does nothing');
    expect(preferred(v).title).toBe('Remove BEGIN');
  });

  it('flags BEGIN inside an explicit BEGIN', () => {
    const sql = 'BEGIN;\nBEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n';
    const vs = hits(sql);
    expect(vs).toHaveLength(1);
    expect(vs[0].start).toBe(sql.indexOf('BEGIN', 1));
    expect(vs[0].message).toContain('no nested transactions');
  });

  it('accepts BEGIN … COMMIT where no transaction is open', () => {
    expect(
      hits('BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\nBEGIN;\nSELECT 1;\nCOMMIT;'),
    ).toHaveLength(0);
    expect(hits('-- UP no-transaction\nBEGIN;\nSELECT 1;\nCOMMIT;')).toHaveLength(0);
  });

  it('removes the BEGIN and its COMMIT together; round trip is clean', () => {
    const sql = '-- UP\nBEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n-- DOWN\nDROP TABLE t;\n';
    const fix = preferred(hits(sql)[0]);
    expect(fix.title).toBe('Remove BEGIN and its COMMIT');
    const fixed = applyToText(sql, fix.edits);
    expect(fixed).toBe('-- UP\nCREATE TABLE t (a int);\n-- DOWN\nDROP TABLE t;\n');
    const after = lintText(fixed);
    expect(only(after, RULE)).toHaveLength(0);
    expect(after.filter((v) => v.severity === 'error')).toHaveLength(0);
  });

  it('nested BEGIN: removes only the inner BEGIN, so the outer transaction keeps its COMMIT', () => {
    const sql = 'BEGIN;\nBEGIN;\nCREATE TABLE t (a bigint);\nCOMMIT;\n';
    const fixed = applyToText(sql, preferred(hits(sql)[0]).edits);
    expect(fixed).toBe('BEGIN;\nCREATE TABLE t (a bigint);\nCOMMIT;\n');
    expect(lintText(fixed)).toHaveLength(0);
  });

  it('does not pair the BEGIN with a ROLLBACK', () => {
    const [v] = hits('-- UP\nBEGIN;\nCREATE TABLE t (a int);\nROLLBACK;\n');
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
  });

  it('goose folder: round trip', () => {
    const root = writeFolder({
      '001_t.sql':
        '-- +goose Up\nBEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n-- +goose Down\nDROP TABLE t;\n',
    });
    roundTripFolder(root, RULE);
    const text = readFileSync(join(root, '001_t.sql'), 'utf8');
    expect(text).not.toMatch(/BEGIN|COMMIT/);
  });

  describe('one query string (golang-migrate)', () => {
    const golang = (up: string) => ({ '1_a.up.sql': up, '1_a.down.sql': '' });
    const lint = (up: string) => only(lintDir(writeFolder(golang(up))).violations, RULE);

    it('accepts BEGIN … COMMIT around the whole file, even after other statements', () => {
      expect(lint('BEGIN;\nCREATE TABLE t (a int);\nCREATE TABLE u (a int);\nCOMMIT;\n')).toEqual(
        [],
      );
      expect(lint('CREATE TABLE u (a int);\nBEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n')).toEqual(
        [],
      );
      expect(lint('CREATE TABLE u (a int);\nCREATE TABLE t (a int);\nCOMMIT;\n')).toEqual([]);
    });

    it('flags a COMMIT with statements after it: the file splits into two transactions', () => {
      const [v] = lint('BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\nCREATE TABLE u (a int);\n');
      expect(v.message).toContain('run in a second implicit transaction');
      expect(preferred(v).title).toBe('Remove BEGIN and its COMMIT');
      const [lone] = lint('CREATE TABLE t (a int);\nCOMMIT;\nCREATE TABLE u (a int);\n');
      expect(lone.message).toMatch(/^COMMIT in the middle of a file/);
      expect(lone.fixes.some((f) => f.preferred)).toBe(false);
    });

    it('round trip: removing the pair leaves one implicit transaction', () => {
      const root = writeFolder(
        golang('BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\nCREATE TABLE u (a int);\n'),
      );
      roundTripFolder(root, RULE);
      expect(readFileSync(join(root, '1_a.up.sql'), 'utf8')).toBe(
        'CREATE TABLE t (a int);\nCREATE TABLE u (a int);\n',
      );
    });
  });
});
