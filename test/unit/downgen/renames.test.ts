import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lines } from './_down';

beforeAll(() => initParser());

const T =
  "CREATE TABLE app.t (a text CHECK (a <> ''), b bigint REFERENCES app.u (id)); CREATE INDEX t_a ON app.t (lower(a));";

describe('DOWN for renames and schema moves', () => {
  it('RENAME a → b becomes RENAME b → a, for every kind of object', () => {
    expect(lines(T, 'ALTER TABLE app.t RENAME TO t2;')).toEqual([
      'ALTER TABLE app.t2 RENAME TO t;',
    ]);
    expect(lines(T, 'ALTER TABLE app.t RENAME COLUMN a TO aa;')).toEqual([
      'ALTER TABLE app.t RENAME COLUMN aa TO a;',
    ]);
    expect(lines(T, 'ALTER TABLE app.t RENAME CONSTRAINT t_a_check TO a_nonempty;')).toEqual([
      'ALTER TABLE app.t RENAME CONSTRAINT a_nonempty TO t_a_check;',
    ]);
    expect(lines(T, 'ALTER INDEX app.t_a RENAME TO t_lower_a;')).toEqual([
      'ALTER INDEX app.t_lower_a RENAME TO t_a;',
    ]);
    expect(lines("CREATE TYPE mood AS ENUM ('a');", 'ALTER TYPE mood RENAME TO feeling;')).toEqual([
      'ALTER TYPE feeling RENAME TO mood;',
    ]);
    expect(lines('CREATE SCHEMA app;', 'ALTER SCHEMA app RENAME TO core;')).toEqual([
      'ALTER SCHEMA core RENAME TO app;',
    ]);
    expect(lines('', 'ALTER FUNCTION f(int, text) RENAME TO g;')).toEqual([
      'ALTER FUNCTION g(integer, text) RENAME TO f;',
    ]);
    expect(lines(T, 'ALTER TABLE app.t SET SCHEMA archive;')).toEqual([
      'ALTER TABLE archive.t SET SCHEMA app;',
    ]);
  });

  it('IF EXISTS goes back too, so undoing what did not happen does not fail', () => {
    expect(lines('', 'ALTER TABLE IF EXISTS legacy RENAME TO old_legacy;')).toEqual([
      '-- nothing to undo: the UP changes no schema',
    ]);
    expect(lines('', 'ALTER TABLE IF EXISTS legacy ADD COLUMN IF NOT EXISTS note text;')).toEqual([
      '-- assumes column public.legacy.note did not exist before the UP (the schema model does not know the table exactly)',
      'ALTER TABLE IF EXISTS legacy DROP COLUMN note;',
    ]);
    expect(
      lines(
        'ALTER TABLE legacy ADD COLUMN a text;',
        'ALTER TABLE IF EXISTS legacy RENAME COLUMN a TO b;',
      ),
    ).toEqual(['ALTER TABLE IF EXISTS legacy RENAME COLUMN b TO a;']);
  });

  it('IF EXISTS on an object that was not there renamed nothing', () => {
    expect(lines(T, 'ALTER INDEX IF EXISTS app.nope RENAME TO t_b;')).toEqual([
      '-- nothing to undo: the UP changes no schema',
    ]);
  });

  it('after a column rename, recreated constraints and indexes use the new name', () => {
    const earlier = `${T} ALTER TABLE app.t RENAME COLUMN a TO "Title";`;
    expect(lines(earlier, 'ALTER TABLE app.t DROP CONSTRAINT t_a_check;')).toEqual([
      'ALTER TABLE app.t ADD CONSTRAINT t_a_check CHECK ("Title" <> \'\');',
    ]);
    expect(lines(earlier, 'DROP INDEX app.t_a;')).toEqual([
      'CREATE INDEX t_a ON app.t (lower("Title"));',
    ]);
  });

  it('after a table rename, foreign keys pointing at it use the new name', () => {
    const earlier = `${T} ALTER TABLE app.u RENAME TO users;`;
    expect(lines(earlier, 'ALTER TABLE app.t DROP CONSTRAINT t_b_fkey;')).toEqual([
      'ALTER TABLE app.t ADD CONSTRAINT t_b_fkey FOREIGN KEY (b) REFERENCES app.users (id);',
    ]);
  });

  it('after a type rename, the columns of that type are restored with the new name', () => {
    const earlier = `CREATE TYPE "Mood" AS ENUM ('a'); CREATE TABLE t (m "Mood" NOT NULL);
      ALTER TYPE "Mood" RENAME TO "Feeling";`;
    expect(lines(earlier, 'ALTER TABLE t DROP COLUMN m;').slice(1)).toEqual([
      'ALTER TABLE t ADD COLUMN m "Feeling" NOT NULL;',
    ]);
  });
});
