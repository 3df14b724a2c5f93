import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lines, plan } from './_down';

beforeAll(() => initParser());

const FN = `CREATE FUNCTION app.total(a integer, OUT s bigint, VARIADIC xs text[])
  LANGUAGE sql AS $$ SELECT 1 $$;`;

describe('DOWN for functions, triggers, views, sequences, extensions, schemas, types', () => {
  it('CREATE FUNCTION → DROP FUNCTION with its input argument types', () => {
    expect(lines('', FN)).toEqual(['DROP FUNCTION app.total(integer, text[]);']);
    expect(
      lines('', 'CREATE PROCEDURE p(x numeric(10,2)) LANGUAGE sql AS $$ SELECT 1 $$;'),
    ).toEqual(['DROP PROCEDURE public.p(numeric(10,2));']);
  });

  it('CREATE OR REPLACE FUNCTION over an existing one → its earlier definition', () => {
    const v1 = 'CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;';
    expect(
      lines(
        v1,
        'CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x + 1 $$;',
      ),
    ).toEqual(['CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;']);
  });

  it('DROP FUNCTION → the function back; a renamed function is not recreated from stale text', () => {
    const v1 = 'CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;';
    expect(lines(v1, 'DROP FUNCTION f(integer);')).toEqual([
      'CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;',
    ]);
    const renamed = `${v1} ALTER FUNCTION f(int) RENAME TO g;`;
    expect(lines(renamed, 'DROP FUNCTION g(int);')[0]).toMatch(
      /^-- TODO\(pgmig\): recreate function public\.g\(integer\) by hand/,
    );
  });

  it('CREATE TRIGGER → DROP TRIGGER … ON; DROP TRIGGER → the trigger back', () => {
    const t = 'CREATE TABLE t (a text);';
    const trg = 'CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();';
    expect(lines(t, trg)).toEqual(['DROP TRIGGER t_touch ON t;']);
    expect(lines(`${t} ${trg}`, 'DROP TRIGGER t_touch ON t;')).toEqual([
      'CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();',
    ]);
  });

  it('CREATE VIEW → DROP VIEW; a replaced view gets its earlier definition back', () => {
    const t = 'CREATE TABLE t (a text, b text);';
    expect(lines(t, 'CREATE VIEW v AS SELECT a FROM t;')).toEqual(['DROP VIEW v;']);
    expect(
      lines(
        `${t} CREATE VIEW v AS SELECT a FROM t;`,
        'CREATE OR REPLACE VIEW v AS SELECT a, b FROM t;',
      ),
    ).toEqual([
      '-- views that depend on it must be dropped first',
      'DROP VIEW v;',
      'CREATE VIEW v AS SELECT a FROM t;',
    ]);
    expect(
      lines(`${t} CREATE MATERIALIZED VIEW m AS SELECT a FROM t;`, 'DROP MATERIALIZED VIEW m;'),
    ).toEqual(['CREATE MATERIALIZED VIEW m AS SELECT a FROM t;']);
  });

  it('sequences, extensions, schemas', () => {
    expect(lines('', 'CREATE SEQUENCE s START 10;')).toEqual(['DROP SEQUENCE s;']);
    expect(lines('CREATE SEQUENCE s;', 'CREATE SEQUENCE IF NOT EXISTS s;')).toEqual([
      '-- nothing to undo: the UP changes no schema',
    ]);
    expect(lines('', 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";')).toEqual([
      'DROP EXTENSION "uuid-ossp";',
    ]);
    expect(lines('CREATE EXTENSION pgcrypto;', 'DROP EXTENSION pgcrypto;')).toEqual([
      'CREATE EXTENSION pgcrypto;',
    ]);
    expect(lines('', 'CREATE SCHEMA app AUTHORIZATION owner;')).toEqual(['DROP SCHEMA app;']);
    expect(lines('CREATE SCHEMA app;', 'DROP SCHEMA app;')).toEqual(['CREATE SCHEMA app;']);
  });

  it('types: enum, composite and domain are dropped; a dropped enum comes back with its values', () => {
    expect(lines('', "CREATE TYPE mood AS ENUM ('sad', 'ok');")).toEqual(['DROP TYPE mood;']);
    expect(lines('', 'CREATE TYPE pair AS (a int, b text);')).toEqual(['DROP TYPE pair;']);
    expect(lines('', "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');")).toEqual([
      'DROP DOMAIN email;',
    ]);
    const mood =
      "CREATE TYPE mood AS ENUM ('sad', 'ok'); ALTER TYPE mood ADD VALUE 'happy' BEFORE 'ok';";
    expect(lines(mood, 'DROP TYPE mood;')).toEqual([
      "CREATE TYPE mood AS ENUM ('sad', 'happy', 'ok');",
    ]);
  });

  it('ADD VALUE cannot be undone: a TODO that says why, with the rebuild to review; RENAME VALUE is renamed back', () => {
    const mood =
      "CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE t (m mood DEFAULT 'ok', ms mood[]);";
    expect(lines(mood, "ALTER TYPE mood ADD VALUE 'happy';")).toEqual([
      "-- TODO(pgmig): PostgreSQL cannot remove the value 'happy' from enum public.mood; if it must go, the type can be rebuilt without it (rows that use the value make that fail)",
      "-- CREATE TYPE mood_old AS ENUM ('sad', 'ok');",
      '-- ALTER TABLE t ALTER COLUMN m DROP DEFAULT;',
      '-- ALTER TABLE t ALTER COLUMN m TYPE mood_old USING m::text::mood_old;',
      "-- ALTER TABLE t ALTER COLUMN m SET DEFAULT 'ok';",
      '-- ALTER TABLE t ALTER COLUMN ms TYPE mood_old[] USING ms::text[]::mood_old[];',
      '-- DROP TYPE mood;',
      '-- ALTER TYPE mood_old RENAME TO mood;',
    ]);
    expect(plan(mood, "ALTER TYPE mood ADD VALUE 'happy';").complete).toBe(false);
    // on a type the same UP creates, DROP TYPE takes the value with it
    expect(
      lines('', "CREATE TYPE mood AS ENUM ('sad'); ALTER TYPE mood ADD VALUE 'happy';"),
    ).toEqual(['DROP TYPE mood;']);
    expect(lines(mood, "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';")).toEqual([
      "ALTER TYPE mood RENAME VALUE 'fine' TO 'ok';",
    ]);
  });

  it('policies and event triggers', () => {
    const t = 'CREATE TABLE t (owner text);';
    expect(lines(t, 'CREATE POLICY own ON t USING (owner = current_user);')).toEqual([
      'DROP POLICY own ON t;',
    ]);
    expect(
      lines(`${t} CREATE POLICY own ON t USING (owner = current_user);`, 'DROP POLICY own ON t;'),
    ).toEqual(['CREATE POLICY own ON t USING (owner = current_user);']);
    expect(lines('', 'CREATE EVENT TRIGGER e ON ddl_command_end EXECUTE FUNCTION f();')).toEqual([
      'DROP EVENT TRIGGER e;',
    ]);
  });
});
