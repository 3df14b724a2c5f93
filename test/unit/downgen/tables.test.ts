import { beforeAll, describe, expect, it } from 'vitest';
import { down, initParser, lines, plan } from './_down';

beforeAll(() => initParser());

const USERS = `CREATE TABLE users (
  id serial PRIMARY KEY,
  email varchar(255) NOT NULL DEFAULT 'x',
  name text,
  score numeric(10,2) DEFAULT 0
);`;

describe('DOWN for CREATE TABLE and ALTER TABLE', () => {
  it('CREATE TABLE → DROP TABLE; IF NOT EXISTS over an existing table → nothing', () => {
    expect(lines('', 'CREATE TABLE app.t (a int);')).toEqual(['DROP TABLE app.t;']);
    expect(down(USERS, 'CREATE TABLE IF NOT EXISTS users (a int);')).toBe(
      '-- nothing to undo: the UP changes no schema\n',
    );
  });

  it('ADD COLUMN → DROP COLUMN, several subcommands in reverse order in one statement', () => {
    expect(lines(USERS, 'ALTER TABLE users ADD COLUMN a int, ADD COLUMN b text;')).toEqual([
      'ALTER TABLE users DROP COLUMN b, DROP COLUMN a;',
    ]);
    expect(lines(USERS, 'ALTER TABLE users ADD COLUMN IF NOT EXISTS name text;')).toEqual([
      '-- nothing to undo: the UP changes no schema',
    ]);
  });

  it('DROP COLUMN → a TODO for the data, and the column back with type, default, NOT NULL', () => {
    expect(lines(USERS, 'ALTER TABLE users DROP COLUMN email;')).toEqual([
      '-- TODO(pgmig): DROP COLUMN cannot be undone: the values of public.users.email are gone; it is recreated empty',
      "ALTER TABLE users ADD COLUMN email character varying(255) DEFAULT 'x' NOT NULL;",
    ]);
    expect(plan(USERS, 'ALTER TABLE users DROP COLUMN email;').complete).toBe(false);
  });

  it('DROP COLUMN brings back the constraints and indexes that went with the column', () => {
    const earlier = `${USERS}
      ALTER TABLE users ADD COLUMN org_id int REFERENCES orgs (id) ON DELETE CASCADE;
      CREATE INDEX users_org ON users (org_id) WHERE org_id IS NOT NULL;`;
    expect(lines(earlier, 'ALTER TABLE users DROP COLUMN org_id;').slice(1)).toEqual([
      'ALTER TABLE users ADD COLUMN org_id integer;',
      'CREATE INDEX users_org ON users (org_id) WHERE org_id IS NOT NULL;',
      'ALTER TABLE users ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES orgs (id) ON DELETE CASCADE;',
    ]);
  });

  it('DROP INDEX … CASCADE: the foreign keys that relied on the unique index come back after it', () => {
    const earlier = `CREATE TABLE client (id text, nid uuid);
      CREATE UNIQUE INDEX client_id_uq ON client (id);
      CREATE TABLE token (client_id text, CONSTRAINT token_client_fk FOREIGN KEY (client_id) REFERENCES client (id));`;
    expect(lines(earlier, 'DROP INDEX client_id_uq CASCADE;')).toEqual([
      '-- CASCADE may have dropped objects the schema model does not follow; check them',
      'CREATE UNIQUE INDEX client_id_uq ON client (id);',
      'ALTER TABLE token ADD CONSTRAINT token_client_fk FOREIGN KEY (client_id) REFERENCES client (id);',
    ]);
  });

  it('ALTER COLUMN TYPE → the earlier type, with USING only when no assignment cast exists', () => {
    expect(lines(USERS, 'ALTER TABLE users ALTER COLUMN name TYPE int USING name::int;')).toEqual([
      'ALTER TABLE users ALTER COLUMN name TYPE text;',
    ]);
    expect(
      lines(USERS, 'ALTER TABLE users ALTER COLUMN name TYPE jsonb USING to_jsonb(name);'),
    ).toEqual(['ALTER TABLE users ALTER COLUMN name TYPE text;']);
    const earlier = 'CREATE TABLE t (a int, b text, c jsonb);';
    expect(lines(earlier, 'ALTER TABLE t ALTER COLUMN a TYPE text;')).toEqual([
      '-- public.t.a goes back from text to integer: values that do not fit it make this fail',
      'ALTER TABLE t ALTER COLUMN a TYPE integer USING a::integer;',
    ]);
    expect(lines(earlier, 'ALTER TABLE t ALTER COLUMN c TYPE text;')).toEqual([
      '-- public.t.c goes back from text to jsonb: values that do not fit it make this fail',
      'ALTER TABLE t ALTER COLUMN c TYPE jsonb USING c::jsonb;',
    ]);
    expect(lines(earlier, 'ALTER TABLE t ALTER COLUMN a TYPE bigint;')).toEqual([
      '-- public.t.a goes back from bigint to integer: values that do not fit it make this fail',
      'ALTER TABLE t ALTER COLUMN a TYPE integer;',
    ]);
  });

  it('ALTER COLUMN TYPE on a column with a default puts the default written for the old type back', () => {
    expect(lines(USERS, 'ALTER TABLE users ALTER COLUMN email TYPE text;')).toEqual([
      '-- public.users.email goes back from text to varchar(255): values that do not fit it make this fail',
      "ALTER TABLE users ALTER COLUMN email DROP DEFAULT, ALTER COLUMN email TYPE character varying(255), ALTER COLUMN email SET DEFAULT 'x';",
    ]);
  });

  it('SET / DROP NOT NULL and SET / DROP DEFAULT → the earlier state', () => {
    expect(lines(USERS, 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;')).toEqual([
      'ALTER TABLE users ALTER COLUMN name DROP NOT NULL;',
    ]);
    expect(lines(USERS, 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;')).toEqual([
      'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    ]);
    // already so: nothing changed, nothing to undo
    expect(lines(USERS, 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;')).toEqual([
      '-- nothing to undo: the UP changes no schema',
    ]);
    expect(lines(USERS, "ALTER TABLE users ALTER COLUMN email SET DEFAULT 'y';")).toEqual([
      "ALTER TABLE users ALTER COLUMN email SET DEFAULT 'x';",
    ]);
    expect(lines(USERS, "ALTER TABLE users ALTER COLUMN name SET DEFAULT lower('A');")).toEqual([
      'ALTER TABLE users ALTER COLUMN name DROP DEFAULT;',
    ]);
    expect(lines(USERS, 'ALTER TABLE users ALTER COLUMN score DROP DEFAULT;')).toEqual([
      'ALTER TABLE users ALTER COLUMN score SET DEFAULT 0;',
    ]);
    expect(lines(USERS, 'ALTER TABLE users ALTER COLUMN id DROP DEFAULT;')).toEqual([
      "ALTER TABLE users ALTER COLUMN id SET DEFAULT nextval('users_id_seq'::regclass);",
    ]);
  });

  it('ADD CONSTRAINT → DROP CONSTRAINT, with the names PostgreSQL gives unnamed ones', () => {
    expect(lines(USERS, 'ALTER TABLE users ADD CONSTRAINT ck CHECK (score > 0);')).toEqual([
      'ALTER TABLE users DROP CONSTRAINT ck;',
    ]);
    expect(lines(USERS, 'ALTER TABLE users ADD CHECK (score > 0), ADD UNIQUE (email);')).toEqual([
      'ALTER TABLE users DROP CONSTRAINT users_email_key, DROP CONSTRAINT users_score_check;',
    ]);
    expect(lines(USERS, 'ALTER TABLE users ADD FOREIGN KEY (id) REFERENCES orgs;')).toEqual([
      'ALTER TABLE users DROP CONSTRAINT users_id_fkey;',
    ]);
  });

  it('a primary key replaced in one statement: the new one is dropped, the old one comes back', () => {
    expect(
      lines(
        'CREATE TABLE q (id bigserial PRIMARY KEY, run bigint NOT NULL);',
        'ALTER TABLE q DROP CONSTRAINT q_pkey, DROP COLUMN id, ADD PRIMARY KEY (run);',
      ),
    ).toEqual([
      'ALTER TABLE q DROP CONSTRAINT q_pkey;',
      '-- TODO(pgmig): DROP COLUMN cannot be undone: the values of public.q.id are gone; it is recreated empty',
      'ALTER TABLE q ADD COLUMN id bigserial;',
      'ALTER TABLE q ADD CONSTRAINT q_pkey PRIMARY KEY (id);',
    ]);
  });

  it('ADD PRIMARY KEY on nullable columns: the NOT NULL it implied goes too', () => {
    expect(lines('CREATE TABLE t (a int, b int);', 'ALTER TABLE t ADD PRIMARY KEY (a);')).toEqual([
      'ALTER TABLE t DROP CONSTRAINT t_pkey, ALTER COLUMN a DROP NOT NULL;',
    ]);
  });

  it('DROP CONSTRAINT → the constraint back, NOT VALID when it was not validated', () => {
    const earlier = `${USERS} ALTER TABLE users ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES orgs (id) NOT VALID;`;
    expect(lines(earlier, 'ALTER TABLE users DROP CONSTRAINT fk;')).toEqual([
      'ALTER TABLE users ADD CONSTRAINT fk FOREIGN KEY (id) REFERENCES orgs (id) NOT VALID;',
    ]);
    expect(lines(USERS, 'ALTER TABLE users DROP CONSTRAINT users_pkey;')).toEqual([
      'ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (id);',
    ]);
  });

  it('VALIDATE CONSTRAINT → the constraint re-added NOT VALID', () => {
    const earlier = `${USERS} ALTER TABLE users ADD CONSTRAINT pos CHECK (score > 0) NOT VALID;`;
    expect(lines(earlier, 'ALTER TABLE users VALIDATE CONSTRAINT pos;')).toEqual([
      'ALTER TABLE users DROP CONSTRAINT pos, ADD CONSTRAINT pos CHECK (score > 0) NOT VALID;',
    ]);
  });

  it('storage parameters: RESET what was set on a table created with none', () => {
    expect(
      lines(USERS, 'ALTER TABLE users SET (fillfactor = 70, autovacuum_enabled = false);'),
    ).toEqual(['ALTER TABLE users RESET (fillfactor, autovacuum_enabled);']);
  });

  it('row level security back to its earlier state', () => {
    expect(lines(USERS, 'ALTER TABLE users ENABLE ROW LEVEL SECURITY;')).toEqual([
      'ALTER TABLE users DISABLE ROW LEVEL SECURITY;',
    ]);
  });

  it('IF NOT EXISTS after dynamic SQL: what the model saw decides; a drop says what it assumes', () => {
    const opaque = `CREATE TABLE t (a text); DO $$ BEGIN EXECUTE 'SELECT 1'; END $$;`;
    expect(lines(opaque, 'ALTER TABLE t ADD COLUMN IF NOT EXISTS b text;')).toEqual([
      '-- the schema model is uncertain (a DO block runs dynamic SQL): this assumes it left public.t as the model saw it',
      'ALTER TABLE t DROP COLUMN b;',
    ]);
    expect(lines(opaque, 'ALTER TABLE t ADD COLUMN IF NOT EXISTS a text;')).toEqual([
      '-- nothing to undo: the UP changes no schema',
    ]);
    expect(lines(opaque, 'CREATE INDEX IF NOT EXISTS t_a ON t (a);')).toEqual([
      '-- assumes index public.t_a did not exist before the UP (a DO block runs dynamic SQL)',
      'DROP INDEX IF EXISTS t_a;',
    ]);
    // without IF NOT EXISTS the statement fails if it existed: dropping it is right
    expect(lines(opaque, 'CREATE INDEX t_a ON t (a);')).toEqual(['DROP INDEX IF EXISTS t_a;']);
  });

  it('an unknown table: no guess, a TODO that says why', () => {
    const out = down('', 'ALTER TABLE legacy ALTER COLUMN a TYPE bigint;');
    expect(out).toContain('-- TODO(pgmig): restore the earlier type of public.legacy.a');
    expect(out).not.toMatch(/^ALTER/m);
  });

  it('a table this UP creates is dropped once, instead of undoing each change made to it', () => {
    expect(
      lines(
        'CREATE TABLE orgs (id int PRIMARY KEY);',
        `CREATE TABLE t (a int);
         CREATE INDEX ON t (a);
         ALTER TABLE t ADD COLUMN org int REFERENCES orgs;
         COMMENT ON TABLE t IS 'x';
         INSERT INTO t VALUES (1);`,
      ),
    ).toEqual(['DROP TABLE t;']);
  });

  it('objects that depend on a new table are dropped before it', () => {
    expect(
      lines(
        '',
        `CREATE TABLE a (id int PRIMARY KEY);
         CREATE TABLE b (a_id int REFERENCES a);
         ALTER TABLE a ADD COLUMN x int;`,
      ),
    ).toEqual(['ALTER TABLE a DROP COLUMN x;', 'DROP TABLE b;', 'DROP TABLE a;']);
  });

  it('DROP TABLE → TODO for the rows, the table back with constraints, indexes and comments', () => {
    const earlier = `${USERS}
      CREATE UNIQUE INDEX users_lower_email ON users USING btree (lower(email));
      COMMENT ON COLUMN users.email IS 'login';`;
    expect(lines(earlier, 'DROP TABLE users;')).toEqual([
      '-- TODO(pgmig): DROP TABLE cannot be undone: the rows of public.users are gone; the table is recreated empty',
      'CREATE TABLE users (',
      '  id serial,',
      "  email character varying(255) DEFAULT 'x' NOT NULL,",
      '  name text,',
      '  score numeric(10,2) DEFAULT 0,',
      '  CONSTRAINT users_pkey PRIMARY KEY (id)',
      ');',
      'CREATE UNIQUE INDEX users_lower_email ON users USING btree (lower(email));',
      "COMMENT ON COLUMN users.email IS 'login';",
    ]);
  });

  it('DROP TABLE of a table the model does not know completely: a TODO, not a wrong table', () => {
    const out = down('CREATE TABLE t (LIKE other);', 'DROP TABLE t;');
    expect(out).toContain('recreate table public.t by hand');
    expect(out).not.toContain('CREATE TABLE');
  });
});
