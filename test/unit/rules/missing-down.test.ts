import { beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'missing-down';
const hits = (sql: string) => only(lintText(sql), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('flags a goose or plain migration without a DOWN, on the first line', () => {
    const sql = '-- +goose Up\nCREATE TABLE t (a int);\n';
    const vs = hits(sql);
    expect(vs).toHaveLength(1);
    expect(vs[0].severity).toBe('info');
    expect([vs[0].start, vs[0].end]).toEqual([0, '-- +goose Up'.length]);
    expect(hits('-- UP\nCREATE TABLE t (a int);\n')).toHaveLength(1);
  });

  it('an empty DOWN counts as present', () => {
    expect(hits('-- +goose Up\nCREATE TABLE t (a int);\n-- +goose Down\n')).toHaveLength(0);
    expect(hits('-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down\n')).toHaveLength(0);
    expect(hits('-- UP\nCREATE TABLE t (a int);\n-- DOWN')).toHaveLength(0);
  });

  it('does not apply to formats without DOWN migrations', () => {
    expect(hits('CREATE TABLE t (a int);')).toHaveLength(0);
  });

  it('golang-migrate: judged with its folder, where the .down.sql file would be', () => {
    const root = writeFolder({
      '1_a.up.sql': 'CREATE TABLE a (x int);\n',
      '2_b.up.sql': 'CREATE TABLE b (x int);\n',
      '2_b.down.sql': '',
    });
    const vs = only(lintDir(root).violations, RULE);
    expect(vs.map((v) => v.file.split('/').pop())).toEqual(['1_a.up.sql']);
    // on its own, the file cannot tell whether its .down.sql exists
    expect(only(lintText('CREATE TABLE a (x int);', { path: '/v/1_a.up.sql' }), RULE)).toEqual([]);
  });

  it('a folder where no migration has a DOWN rolls forward: nothing to report', () => {
    const root = writeFolder({
      '1_a.up.sql': 'CREATE TABLE a (x int);\n',
      '2_b.up.sql': 'CREATE TABLE b (x int);\n',
    });
    expect(only(lintDir(root).violations, RULE)).toEqual([]);
    const goose = writeFolder({
      '001_a.sql': '-- +goose Up\nCREATE TABLE a (x int);\n',
      '002_b.sql': '-- +goose Up\nCREATE TABLE b (x int);\n',
    });
    expect(only(lintDir(goose).violations, RULE)).toEqual([]);
  });

  it('reports once per migration in a folder', () => {
    const root = writeFolder({
      '001_a.sql': '-- +goose Up\nCREATE TABLE a (x int);\n',
      '002_b.sql': '-- +goose Up\nCREATE TABLE b (x int);\n-- +goose Down\nDROP TABLE b;\n',
    });
    const vs = only(lintDir(root).violations, RULE);
    expect(vs).toHaveLength(1);
    expect(vs[0].file.endsWith('001_a.sql')).toBe(true);
  });

  it('only fix: disable for the file; round trip is clean', () => {
    const sql = '-- +goose Up\nCREATE TABLE t (a int);\n';
    const [v] = hits(sql);
    expect(v.fixes.map((f) => f.title)).toEqual(['Disable missing-down for this file']);
    const fixed = applyToText(sql, v.fixes[0].edits);
    expect(fixed.startsWith('-- pgmig-ignore-file missing-down\n')).toBe(true);
    expect(lintText(fixed)).toHaveLength(0);
  });
});
