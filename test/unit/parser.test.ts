import { beforeAll, describe, expect, it } from 'vitest';
import {
  initParser,
  parseRange,
  parseSql,
  PARSE_RUN_CHARS,
  type Statement,
} from '../../server/src/parser/parse';
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

describe('parseSql on text longer than one parse run', () => {
  // statements of every shape a run boundary could fall inside
  const pieces = [
    'CREATE TABLE t_N (id bigint PRIMARY KEY, note text DEFAULT \'a;b\', "odd;name" int);',
    'CREATE FUNCTION f_N() RETURNS int LANGUAGE sql AS $body$ SELECT 1; SELECT 2; $body$;',
    'CREATE FUNCTION g_N() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;',
    'CREATE RULE r_N AS ON INSERT TO t_N DO ALSO (SELECT 1; SELECT 2);',
    '/* a comment; with a semicolon */ ALTER TABLE t_N ADD COLUMN c int; -- trailing; comment',
    "INSERT INTO t_N (id, note) VALUES (1, E'it\\'s; here');",
  ];
  const body = (n: number, of = pieces) =>
    Array.from({ length: n }, (_, i) => of[i % of.length].replace(/_N/g, `_${i}`)).join('\n');
  const text = body(3000);

  it('finds the statements parsing the whole text in one piece finds, at the same ranges', () => {
    expect(text.length).toBeGreaterThan(2 * PARSE_RUN_CHARS);
    const index = new TextIndex(text);
    const runs = parseSql(index);
    const whole = parseRange(index, 0, text.length);
    if (!whole.ok) throw new Error(whole.error.message);
    expect(runs.errors).toEqual([]);
    const shape = (s: Statement) => [s.start, s.end, s.terminatorEnd, s.kind, s.text];
    expect(runs.statements.map(shape)).toEqual(whole.statements.map(shape));
    // locations inside the tree are relative to what was parsed: offsetOf maps them back
    const where = (s: Statement) =>
      s.kind === 'CreateStmt' ? s.offsetOf(s.ast.relation.location) : s.start;
    expect(runs.statements.map(where)).toEqual(whole.statements.map(where));
  });

  it('falls back to statement-by-statement parsing with a syntax error in any run', () => {
    // statement by statement, the lexical splitter cuts CREATE RULE … (a; b) apart: left out
    const splittable = pieces.filter((p) => !p.startsWith('CREATE RULE'));
    const broken = `${body(2000, splittable)}\nSELEC 1;\n${body(30, splittable)}`;
    const r = parseSql(new TextIndex(broken));
    expect(r.errors).toHaveLength(1);
    expect(broken.slice(r.errors[0].start, r.errors[0].end)).toBe('SELEC');
    expect(r.statements).toHaveLength(2030);
  });
});
