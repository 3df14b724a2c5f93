import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, lintDir, lintText, only, writeFolder } from '../helpers/lint';

const RULE = 'down-does-not-reverse-up';
const hits = (up: string, down: string) => only(lintText(`-- UP\n${up}\n-- DOWN\n${down}\n`), RULE);

const BASE = `-- UP
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text);
-- DOWN
DROP TABLE users;
`;

function second(up: string, down: string) {
  const root = writeFolder({
    '001_base.sql': BASE,
    '002_change.sql': `-- UP\n${up}\n-- DOWN\n${down}\n`,
  });
  return only(lintDir(root).violations, RULE);
}

beforeAll(() => initParser());

describe(RULE, () => {
  it('reports what the UP creates and the DOWN leaves, at the UP statement', () => {
    const sql =
      '-- UP\nCREATE TABLE a (id int);\nCREATE INDEX ON a (id);\n-- DOWN\nDROP INDEX a_id_idx;\n';
    const [v] = only(lintText(sql), RULE);
    expect(v.severity).toBe('warning');
    expect(sql.slice(v.start, v.end)).toBe('CREATE TABLE a (id int)');
    expect(v.message).toBe(
      'The DOWN does not undo this statement: table a remains after the DOWN.',
    );
  });

  it('knows columns, indexes, constraints, renames, types, NOT NULL and defaults', () => {
    expect(second('ALTER TABLE users ADD COLUMN age int;', 'SELECT 1;')[0].message).toBe(
      'The DOWN does not undo this statement: column users.age remains after the DOWN.',
    );
    expect(
      second('ALTER TABLE users RENAME COLUMN name TO full_name;', 'SELECT 1;')[0].message,
    ).toContain(
      'column users.full_name remains after the DOWN; column users.name is missing after the DOWN',
    );
    expect(
      second('ALTER TABLE users ALTER COLUMN id TYPE numeric;', 'SELECT 1;')[0].message,
    ).toContain('column users.id is numeric after the DOWN, bigint before the UP');
    expect(
      second('ALTER TABLE users ALTER COLUMN name SET NOT NULL;', 'SELECT 1;')[0].message,
    ).toContain('the nullability of users.name is NOT NULL after the DOWN, nullable before the UP');
    expect(
      second("ALTER TABLE users ALTER COLUMN name SET DEFAULT 'x';", 'SELECT 1;'),
    ).toHaveLength(1);
    expect(
      second('CREATE UNIQUE INDEX users_email ON users (email);', 'SELECT 1;')[0].message,
    ).toContain('index users_email remains');
    expect(
      second(
        'ALTER TABLE users ADD CONSTRAINT email_len CHECK (length(email) < 300);',
        'SELECT 1;',
      )[0].message,
    ).toContain('constraint users.email_len remains');
  });

  it('knows types, views, functions, triggers, sequences, extensions and schemas', () => {
    for (const [up, what] of [
      ["CREATE TYPE mood AS ENUM ('a');", 'type mood remains'],
      ['CREATE VIEW v AS SELECT id FROM users;', 'view v remains'],
      [
        'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;',
        'function f(integer) remains',
      ],
      ['CREATE SEQUENCE s;', 'sequence s remains'],
      ['CREATE EXTENSION pgcrypto;', 'extension pgcrypto remains'],
      ['CREATE SCHEMA app;', 'schema app remains'],
      [
        'CREATE TRIGGER t BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION f();',
        'trigger t on users remains',
      ],
    ])
      expect(second(up, 'SELECT 1;')[0]?.message, up).toContain(what);
  });

  it('is silent when the DOWN reverses the UP', () => {
    for (const [up, down] of [
      ['ALTER TABLE users ADD COLUMN age int;', 'ALTER TABLE users DROP COLUMN age;'],
      [
        'ALTER TABLE users RENAME COLUMN name TO full_name;',
        'ALTER TABLE users RENAME COLUMN full_name TO name;',
      ],
      [
        'ALTER TABLE users ALTER COLUMN id TYPE numeric;',
        'ALTER TABLE users ALTER COLUMN id TYPE bigint;',
      ],
      [
        'ALTER TABLE users ALTER COLUMN name SET NOT NULL;',
        'ALTER TABLE users ALTER COLUMN name DROP NOT NULL;',
      ],
      ['CREATE INDEX ON users (email);', 'DROP INDEX users_email_idx;'],
      [
        'CREATE TABLE orders (id int, user_id bigint REFERENCES users);\nCREATE INDEX ON orders (user_id);',
        'DROP TABLE orders;',
      ],
      ['ALTER TABLE users DROP COLUMN name;', 'ALTER TABLE users ADD COLUMN name text;'],
      [
        'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS $$ SELECT a $$;',
        'DROP FUNCTION f(integer);',
      ],
      ['CREATE SCHEMA app;\nCREATE TABLE app.t (id int);', 'DROP SCHEMA app CASCADE;'],
      [
        'ALTER TABLE users RENAME TO people;\nCREATE VIEW users AS SELECT * FROM people;',
        'DROP VIEW users;\nALTER TABLE people RENAME TO users;',
      ],
      ["CREATE TYPE mood AS ENUM ('a');\nALTER TYPE mood ADD VALUE 'b';", 'DROP TYPE mood;'],
    ])
      expect(second(up, down), `${up} / ${down}`).toHaveLength(0);
  });

  it('accepts what a DOWN cannot know better than the model', () => {
    // the UP drops a table the model never saw; the DOWN recreates it
    expect(
      second('DROP TABLE schema_migrations;', 'CREATE TABLE schema_migrations (v text);'),
    ).toHaveLength(0);
    expect(
      second(
        'ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_present;',
        'ALTER TABLE users ADD CONSTRAINT users_email_present CHECK (email IS NOT NULL) NOT VALID;',
      ),
    ).toHaveLength(0);
    // IF NOT EXISTS: the extension may have been there already, and others may use it
    expect(second('CREATE EXTENSION IF NOT EXISTS pgcrypto;', 'SELECT 1;')).toHaveLength(0);
    // varchar without a length is text
    const root = writeFolder({
      '001_t.sql': '-- UP\nCREATE TABLE t (f varchar);\n-- DOWN\nDROP TABLE t;\n',
      '002_a.sql':
        "-- UP\nALTER TABLE t ALTER COLUMN f TYPE text[] USING string_to_array(f, ',');\n-- DOWN\nALTER TABLE t ALTER COLUMN f TYPE text USING array_to_string(f, ',');\n",
    });
    expect(only(lintDir(root).violations, RULE)).toHaveLength(0);
    // DDL in a DO block is out of the model's sight
    expect(
      second(
        'ALTER TABLE users DROP COLUMN name;',
        'DO $$ BEGIN ALTER TABLE users ADD COLUMN name text; END $$;',
      ),
    ).toHaveLength(0);
  });

  it('DROP FUNCTION … CASCADE takes the triggers that run it', () => {
    expect(
      second(
        'CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();',
        'DROP FUNCTION IF EXISTS touch CASCADE;',
      ),
    ).toHaveLength(0);
  });

  it('reports a DOWN that removes what existed before the UP, at the DOWN statement', () => {
    const [v] = second('SELECT 1;', 'ALTER TABLE users DROP COLUMN name;');
    expect(v.message).toBe(
      'This DOWN statement changes what existed before the UP: column users.name is missing after the DOWN.',
    );
  });

  it('reports in the DOWN file of runners that keep it apart', () => {
    const root = writeFolder({
      '1_keep.up.sql': 'CREATE TABLE keep (id int);\n',
      '1_keep.down.sql': 'DROP TABLE keep;\n',
      '2_users.up.sql': 'CREATE TABLE users (id bigint);\n',
      '2_users.down.sql': 'DROP TABLE users;\nDROP TABLE keep;\n',
    });
    const [v] = only(lintDir(root).violations, RULE);
    expect(v.file.endsWith('2_users.down.sql')).toBe(true);
    expect(v.message).toBe(
      'This DOWN statement changes what existed before the UP: table keep is missing after the DOWN.',
    );
  });

  it('does not judge migrations without a DOWN, with an empty DOWN, or with dynamic SQL', () => {
    expect(only(lintText('-- UP\nCREATE TABLE a (id int);\n'), RULE)).toHaveLength(0);
    expect(hits('CREATE TABLE a (id int);', '')).toHaveLength(0);
    expect(
      hits("CREATE TABLE a (id int);\nDO $$ BEGIN EXECUTE 'DROP TABLE a'; END $$;", 'SELECT 1;'),
    ).toHaveLength(0);
    // a table the model only saw altered: its columns are unknown
    expect(
      hits('ALTER TABLE legacy ADD COLUMN c int;', 'ALTER TABLE legacy DROP COLUMN c;'),
    ).toHaveLength(0);
    expect(hits('ALTER TABLE legacy ADD COLUMN c int;', 'SELECT 1;')).toHaveLength(0);
  });
});
