import { beforeAll, describe, expect, it } from 'vitest';
import { down, initParser, lines, plan } from './_down';

beforeAll(() => initParser());

describe('DOWN for data changes, procedural code and statements without schema effect', () => {
  it('INSERT / UPDATE / DELETE / TRUNCATE: a TODO that says data changes cannot be undone', () => {
    const t = 'CREATE TABLE t (a text);';
    for (const sql of [
      "INSERT INTO t VALUES ('x');",
      "UPDATE t SET a = 'y';",
      'DELETE FROM t;',
      'TRUNCATE t;',
    ]) {
      expect(down(t, sql)).toMatch(/^-- TODO\(pgmig\): data changes cannot be undone: /);
      expect(plan(t, sql).complete).toBe(false);
    }
  });

  it('rows written to a table the same UP creates go with the table', () => {
    expect(lines('', "CREATE TABLE t (a text); INSERT INTO t VALUES ('x');")).toEqual([
      'DROP TABLE t;',
    ]);
  });

  it('DO blocks and function calls: a TODO; SET, SELECT without effects, VACUUM: nothing', () => {
    expect(down('', 'DO $$ BEGIN PERFORM 1; END $$;')).toMatch(/a DO block runs procedural code/);
    expect(down('', "SELECT create_hypertable('t', 'time');")).toMatch(/calls create_hypertable/);
    expect(
      lines('', "SET lock_timeout = '2s'; SELECT set_config('x.y', '1', false); VACUUM; SELECT 1;"),
    ).toEqual(['-- nothing to undo: the UP changes no schema']);
  });

  it('a "create unless it exists" DO block is undone as the statements it runs', () => {
    const exc =
      "DO $$ BEGIN CREATE TYPE mood AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN null; END $$;";
    expect(lines('', exc)).toEqual(['DROP TYPE mood;']);
    // the type was there: the block did nothing
    expect(lines("CREATE TYPE mood AS ENUM ('a');", exc)).toEqual([
      '-- nothing to undo: the UP changes no schema',
    ]);
    const guard = `DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN
        CREATE TYPE mood AS ENUM ('a');
      END IF;
    END $$;`;
    expect(lines('', guard)).toEqual(['DROP TYPE mood;']);
    // the schema model follows the block too: a later DROP TYPE brings the type back
    expect(lines(guard, 'DROP TYPE mood;')).toEqual(["CREATE TYPE mood AS ENUM ('a');"]);
  });

  it('a DO block with more than that stays a TODO', () => {
    const guardOther = `DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM users) THEN CREATE TYPE mood AS ENUM ('a'); END IF;
    END $$;`;
    expect(down('', guardOther)).toMatch(/a DO block runs procedural code/);
    const reraise = `DO $$ BEGIN CREATE TYPE mood AS ENUM ('a');
      EXCEPTION WHEN duplicate_object THEN RAISE; END $$;`;
    expect(down('', reraise)).toMatch(/a DO block runs procedural code/);
  });
});
