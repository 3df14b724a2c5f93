import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lines, plan } from './_down';

beforeAll(() => initParser());

const T =
  'CREATE TABLE t (a text); CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;';

describe('DOWN for GRANT, REVOKE and COMMENT', () => {
  it('GRANT → REVOKE of what it granted', () => {
    expect(lines(T, 'GRANT SELECT, UPDATE (a) ON t TO app, PUBLIC WITH GRANT OPTION;')).toEqual([
      'REVOKE SELECT, UPDATE (a) ON t FROM app, PUBLIC;',
    ]);
    expect(lines('CREATE SCHEMA s;', 'GRANT USAGE ON SCHEMA s TO app;')).toEqual([
      'REVOKE USAGE ON SCHEMA s FROM app;',
    ]);
    expect(lines('CREATE ROLE r;', 'GRANT r TO app;')).toEqual(['REVOKE r FROM app;']);
  });

  it('GRANT on an object the model does not know: the REVOKE is left for review', () => {
    expect(lines('', 'GRANT USAGE ON SCHEMA realtime TO app;')).toEqual([
      '-- TODO(pgmig): the privileges held before this GRANT are not known to the schema model; if there were none, revoke them',
      '-- REVOKE USAGE ON SCHEMA realtime FROM app;',
    ]);
  });

  it('what was granted to a role the same UP creates is revoked before the role is dropped', () => {
    expect(
      lines('', 'CREATE ROLE auth_admin; GRANT CREATE ON DATABASE postgres TO auth_admin;'),
    ).toEqual([
      'REVOKE CREATE ON DATABASE postgres FROM auth_admin;',
      '-- roles are shared by every database of the cluster',
      'DROP ROLE auth_admin;',
    ]);
  });

  it('OWNER TO: an object the UP created goes back to the role that runs migrations', () => {
    const fn = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;';
    expect(lines('', `${fn} ALTER FUNCTION f() OWNER TO app;`)).toEqual([
      '-- the UP created it: it goes back to the role that runs the migrations',
      'ALTER FUNCTION f() OWNER TO CURRENT_USER;',
      'DROP FUNCTION public.f();',
    ]);
    expect(lines(fn, 'ALTER FUNCTION f() OWNER TO app;')[0]).toMatch(
      /^-- TODO\(pgmig\): ALTER FUNCTION f\(\) OWNER TO app: the earlier owner is not known/,
    );
    expect(lines('', 'CREATE ROLE app; ALTER ROLE app SET search_path = app;')).toEqual([
      '-- roles are shared by every database of the cluster',
      'DROP ROLE app;',
    ]);
  });

  it('a privilege the model knows was held already is not revoked', () => {
    const earlier = `${T} GRANT SELECT ON t TO app;`;
    expect(lines(earlier, 'GRANT SELECT, INSERT ON t TO app;')).toEqual([
      'REVOKE INSERT ON TABLE t FROM app;',
    ]);
    expect(lines(earlier, 'GRANT SELECT ON t TO app;')).toEqual([
      '-- nothing to undo: the UP changes no schema',
    ]);
  });

  it('REVOKE → GRANT of what the model knows was held; EXECUTE to PUBLIC is a function default', () => {
    const earlier = `${T} GRANT SELECT, INSERT ON t TO app;`;
    expect(lines(earlier, 'REVOKE ALL ON t FROM app;')).toEqual([
      'GRANT SELECT, INSERT ON TABLE t TO app;',
    ]);
    expect(lines(T, 'REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;')).toEqual([
      'GRANT EXECUTE ON FUNCTION f() TO PUBLIC;',
    ]);
  });

  it('REVOKE on an object the model does not know: a TODO with the statement to review', () => {
    expect(lines('', 'REVOKE ALL ON legacy FROM app;')).toEqual([
      '-- TODO(pgmig): the privileges held before this REVOKE are not known to the schema model',
      '-- GRANT ALL ON legacy TO app;',
    ]);
  });

  it('ALTER DEFAULT PRIVILEGES … GRANT → … REVOKE', () => {
    expect(
      lines('', 'ALTER DEFAULT PRIVILEGES IN SCHEMA s GRANT SELECT ON TABLES TO app;'),
    ).toEqual(['ALTER DEFAULT PRIVILEGES IN SCHEMA s REVOKE SELECT ON TABLES FROM app;']);
  });

  it('COMMENT → the earlier comment, or NULL when there was none', () => {
    expect(lines(T, "COMMENT ON TABLE t IS 'people';")).toEqual(['COMMENT ON TABLE t IS NULL;']);
    const earlier = `${T} COMMENT ON COLUMN t.a IS 'it''s a';`;
    expect(lines(earlier, "COMMENT ON COLUMN t.a IS 'b';")).toEqual([
      "COMMENT ON COLUMN t.a IS 'it''s a';",
    ]);
    expect(
      lines(`${T} COMMENT ON FUNCTION f() IS 'one';`, 'COMMENT ON FUNCTION f IS NULL;'),
    ).toEqual(["COMMENT ON FUNCTION f IS 'one';"]);
    expect(plan('', "COMMENT ON TABLE legacy IS 'x';").complete).toBe(false);
  });
});
