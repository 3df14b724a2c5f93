import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applyToText,
  initParser,
  lintDir,
  lintText,
  only,
  roundTripFolder,
  writeFolder,
} from '../helpers/lint';

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

  it('fixes: generate the DOWN (preferred), or disable for the file', () => {
    const sql = '-- +goose Up\nCREATE TABLE t (a text);\n';
    const [v] = hits(sql);
    expect(v.fixes.map((f) => f.title)).toEqual([
      'Generate DOWN',
      'Disable missing-down for this file',
    ]);
    expect(v.fixes[0].preferred).toBe(true);
    const fixed = applyToText(sql, v.fixes[1].edits);
    expect(fixed.startsWith('-- pgmig-ignore-file missing-down\n')).toBe(true);
    expect(lintText(fixed)).toHaveLength(0);
  });

  it('Generate DOWN round trip: the DOWN section is written and the finding is gone', () => {
    const sql = '-- +goose Up\nCREATE TABLE t (a text);\nCREATE INDEX t_a ON t (a);\n';
    const [v] = hits(sql);
    const fixed = applyToText(sql, v.fixes[0].edits);
    expect(fixed).toBe(`${sql}\n-- +goose Down\nDROP TABLE t;\n`);
    expect(lintText(fixed)).toHaveLength(0);
  });

  it('Generate DOWN in a folder uses the schema model of the earlier migrations', () => {
    const root = writeFolder({
      '1_a.up.sql': 'CREATE TABLE a (x varchar(20) NOT NULL);\n',
      '1_a.down.sql': 'DROP TABLE a;\n',
      '2_b.up.sql': 'ALTER TABLE a ALTER COLUMN x TYPE text, ALTER COLUMN x DROP NOT NULL;\n',
    });
    const after = roundTripFolder(root, RULE);
    expect(only(after, RULE)).toEqual([]);
    expect(readFileSync(join(root, '2_b.down.sql'), 'utf8')).toBe(
      [
        'ALTER TABLE a ALTER COLUMN x SET NOT NULL;',
        '-- public.a.x goes back from text to varchar(20): values that do not fit it make this fail',
        'ALTER TABLE a ALTER COLUMN x TYPE character varying(20);',
        '',
      ].join('\n'),
    );
  });

  it('a DOWN with TODOs is offered but not preferred (fix-all does not write it)', () => {
    const sql = '-- +goose Up\nALTER TABLE t DROP COLUMN a;\n';
    const [v] = hits(sql);
    expect(v.fixes[0].title).toBe('Generate DOWN (with TODOs for what it cannot undo)');
    expect(v.fixes[0].preferred).toBeFalsy();
  });
});
