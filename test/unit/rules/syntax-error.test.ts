import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintText, only } from '../helpers/lint';

beforeAll(() => initParser());

describe('syntax-error', () => {
  it('reports what PostgreSQL rejects, at the offending token, and lints the rest', () => {
    const sql =
      'CREATE TABLE a (id int);\nALTER TABLE a ADD COLUM b int;\nCREATE INDEX i ON users (x);\n';
    const vs = lintText(sql);
    const [e] = only(vs, 'syntax-error');
    expect(e.severity).toBe('error');
    expect(e.message).toBe('syntax error at or near "int"');
    expect(sql.slice(e.start, e.end)).toBe('int');
    expect(only(vs, 'require-concurrent-index-creation')).toHaveLength(1);
  });

  it('explains template placeholders', () => {
    const [e] = only(lintText('CREATE TABLE {{ .Schema }}.t (id int);'), 'syntax-error');
    expect(e.help).toMatch(/template placeholders/);
  });

  it('accepts what PostgreSQL accepts: NOT VALID, VALIDATE, ALTER TYPE, triggers, REINDEX CONCURRENTLY', () => {
    const sql = `ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT c;
ALTER TABLE t ALTER COLUMN a TYPE bigint USING a::bigint;
CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();
REINDEX INDEX CONCURRENTLY i;
GRANT SELECT ON t TO r;`;
    expect(only(lintText(sql), 'syntax-error')).toEqual([]);
  });
});
