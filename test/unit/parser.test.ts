import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql } from '../../server/src/parser/parse';
import { TextIndex } from '../../server/src/text/positions';

beforeAll(() => initParser());

describe('parseSql', () => {
  it('returns statements with exact UTF-16 ranges, also after multi-byte characters', () => {
    const text = "-- héllo 👋\nCREATE INDEX i ON t (a);\nSELECT 'é';";
    const r = parseSql(new TextIndex(text));
    expect(r.errors).toEqual([]);
    expect(r.statements.map((s) => s.text)).toEqual(['CREATE INDEX i ON t (a)', "SELECT 'é'"]);
    expect(r.statements[0].kind).toBe('IndexStmt');
    const rel = r.statements[0].ast.relation;
    expect(text.slice(r.statements[0].offsetOf(rel.location)).startsWith('t (a)')).toBe(true);
  });

  it('keeps parsing the other statements when one is invalid, and locates the error', () => {
    const text = 'CREATE TABLE a (id int);\nSELEC 1;\nDROP TABLE b;';
    const r = parseSql(new TextIndex(text));
    expect(r.statements.map((s) => s.kind)).toEqual(['CreateStmt', 'DropStmt']);
    expect(r.errors).toHaveLength(1);
    expect(text.slice(r.errors[0].start, r.errors[0].end)).toBe('SELEC');
    expect(r.errors[0].message).toContain('syntax error');
  });

  it('reports an unterminated dollar quote without losing earlier statements', () => {
    const text = 'CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int AS $$ select 1;';
    const r = parseSql(new TextIndex(text));
    expect(r.statements.map((s) => s.kind)).toEqual(['CreateStmt']);
    expect(r.errors[0].message).toMatch(/unterminated dollar-quoted string/);
  });

  it('does not split BEGIN ATOMIC bodies or dollar-quoted function bodies', () => {
    const text =
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\nSELEC;\nCREATE FUNCTION g() RETURNS int AS $x$ begin return 1; end $x$ LANGUAGE plpgsql;';
    const r = parseSql(new TextIndex(text));
    expect(r.statements.map((s) => s.kind)).toEqual(['CreateFunctionStmt', 'CreateFunctionStmt']);
    expect(r.errors).toHaveLength(1);
  });

  it('parses a sub-range of a text with offsets into the whole text', () => {
    const text =
      '-- +goose Up\nALTER TABLE t ADD COLUMN c int;\n-- +goose Down\nALTER TABLE t DROP COLUMN c;\n';
    const start = text.indexOf('ALTER');
    const end = text.indexOf('-- +goose Down');
    const r = parseSql(new TextIndex(text), start, end);
    expect(r.statements).toHaveLength(1);
    expect(r.statements[0].start).toBe(start);
    expect(text.slice(r.statements[0].start, r.statements[0].terminatorEnd)).toBe(
      'ALTER TABLE t ADD COLUMN c int;',
    );
  });
});
