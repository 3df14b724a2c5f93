import { beforeAll, describe, expect, it } from 'vitest';
import { applyToText, initParser, lintText, only } from '../helpers/lint';

const RULE = 'require-table-schema';
const on = { rules: { [RULE]: 'warning' as const } };
const hits = (sql: string) => only(lintText(sql, on), RULE);

beforeAll(() => initParser());

describe(RULE, () => {
  it('is opt-in', () => {
    expect(only(lintText('CREATE TABLE t (id int);'), RULE)).toHaveLength(0);
  });

  it('flags unqualified tables in CREATE, CREATE … AS, ALTER and DROP TABLE', () => {
    const sql = 'CREATE TABLE users (id int);';
    const [v] = hits(sql);
    expect(v.severity).toBe('warning');
    expect(sql.slice(v.start, v.end)).toBe('users');
    expect(v.message).toContain('users is not schema-qualified');
    expect(hits('CREATE TABLE t AS SELECT 1;')).toHaveLength(1);
    expect(hits('ALTER TABLE ONLY t ADD COLUMN a int;')).toHaveLength(1);
    expect(hits('DROP TABLE t, app.u;')[0].message).toContain('t is not schema-qualified');
  });

  it('leaves qualified and temporary tables alone', () => {
    expect(hits('CREATE TABLE public.t (id int);')).toHaveLength(0);
    expect(hits('ALTER TABLE app.t ADD COLUMN a int;')).toHaveLength(0);
    expect(hits('DROP TABLE app.t;')).toHaveLength(0);
    expect(hits('CREATE TEMP TABLE t (id int);')).toHaveLength(0);
  });

  it('offers qualifying with the search_path the section set, else public (not preferred)', () => {
    const sql = 'CREATE TABLE "Users" (id int);';
    const [v] = hits(sql);
    expect(v.fixes.some((f) => f.preferred)).toBe(false);
    expect(v.fixes[0].title).toBe('Qualify as public."Users" (the default search_path)');
    const out = applyToText(sql, v.fixes[0].edits);
    expect(out).toBe('CREATE TABLE public."Users" (id int);');
    expect(only(lintText(out, on), RULE)).toHaveLength(0);
    const withPath = 'SET search_path = app;\nALTER TABLE t ADD COLUMN a int;';
    const [w] = hits(withPath);
    expect(applyToText(withPath, w.fixes[0].edits)).toBe(
      'SET search_path = app;\nALTER TABLE app.t ADD COLUMN a int;',
    );
  });
});
