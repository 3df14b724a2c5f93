/**
 * Schema snapshots and their diff, on the embedded database (PGlite, PostgreSQL 18) and on the
 * PostgreSQL server of this machine when one answers at 127.0.0.1:5432 (a database of its own,
 * dropped afterwards): the same catalog queries must work on both.
 */
import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../server/src/verify/diff';
import type { Queryable } from '../../server/src/verify/queryable';
import { takeSnapshot } from '../../server/src/verify/snapshot';

interface Backend {
  name: string;
  open(): Promise<{ db: Queryable; exec(sql: string): Promise<void>; close(): Promise<void> }>;
}

const SERVER = { host: '127.0.0.1', port: 5432, user: 'postgres' };

async function serverUp(): Promise<boolean> {
  const c = new pg.Client({ ...SERVER, database: 'postgres', connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const suffix = randomBytes(4).toString('hex');
const ROLE = `pgmig_snap_${suffix}`;

const backends: Backend[] = [
  {
    name: 'PGlite',
    async open() {
      const db = await PGlite.create();
      return { db, exec: async (s) => void (await db.exec(s)), close: () => db.close() };
    },
  },
  {
    name: 'PostgreSQL server',
    async open() {
      const admin = new pg.Client({ ...SERVER, database: 'postgres' });
      await admin.connect();
      const name = `pgmig_snap_${suffix}`;
      await admin.query(`CREATE DATABASE ${name}`);
      const db = new pg.Client({ ...SERVER, database: name });
      await db.connect();
      return {
        db,
        exec: async (s) => void (await db.query(s)),
        async close() {
          await db.end();
          await admin.query(`DROP DATABASE ${name}`);
          await admin.query(`DROP ROLE IF EXISTS ${ROLE}`);
          await admin.end();
        },
      };
    },
  },
];

const SCHEMA = `
  CREATE ROLE ${ROLE};
  CREATE SCHEMA app;
  CREATE TYPE mood AS ENUM ('sad', 'ok');
  CREATE SEQUENCE app.counter START 5;
  CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email varchar(255) NOT NULL DEFAULT '',
    feeling mood,
    CONSTRAINT email_set CHECK (email <> 'x')
  );
  CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY, user_id bigint REFERENCES users);
  CREATE UNIQUE INDEX users_email ON users (lower(email));
  COMMENT ON TABLE users IS 'people';
  COMMENT ON COLUMN users.email IS 'login';
  CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
  CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
  CREATE VIEW app.emails AS SELECT email FROM users;
  ALTER TABLE users ENABLE ROW LEVEL SECURITY;
  CREATE POLICY own ON users USING (feeling IS NOT NULL);
  GRANT SELECT ON users TO ${ROLE};
`;

const up = await serverUp();
const opened: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of opened) await close();
});

for (const b of backends) {
  const skip = b.name !== 'PGlite' && !up;
  describe.skipIf(skip)(`schema snapshot on ${b.name}`, () => {
    it('reads every kind of object, and is the same when nothing changed', async () => {
      const { db, exec, close } = await b.open();
      opened.push(close);
      await exec(SCHEMA);
      const s1 = await takeSnapshot(db);
      const keys = [...s1.objects.keys()];
      for (const k of [
        'schema app',
        'table users',
        'column users.email',
        'constraint users.email_set',
        'constraint orders.orders_user_id_fkey',
        'index users_email',
        'type mood',
        'function touch()',
        'view app.emails',
        'sequence app.counter',
        'sequence users_id_seq',
        'trigger users.users_touch',
        'policy users.own',
      ])
        expect(keys, k).toContain(k);
      expect(s1.objects.get('column users.email')).toMatchObject({
        type: 'character varying(255)',
        not_null: 'true',
        default: "''::character varying",
        comment: 'login',
      });
      expect(s1.objects.get('table users')?.acl).toContain(`${ROLE}=r/`);
      expect(diffSnapshots(s1, await takeSnapshot(db))).toEqual([]);
      // a GRANT and its REVOKE leave the default privileges written out: the same privileges
      await exec(`GRANT SELECT ON orders TO ${ROLE}; REVOKE SELECT ON orders FROM ${ROLE};`);
      expect(diffSnapshots(s1, await takeSnapshot(db))).toEqual([]);

      await exec(`DROP VIEW app.emails;
        ALTER TABLE users ALTER COLUMN email TYPE text;
        CREATE INDEX orders_user_idx ON orders (user_id);
        COMMENT ON TABLE users IS 'humans';
        ALTER TYPE mood ADD VALUE 'happy';
        CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$;`);
      const messages = diffSnapshots(s1, await takeSnapshot(db)).map((d) => d.message);
      expect(messages).toEqual(
        expect.arrayContaining([
          'column users.email type character varying(255) restored as text',
          'index orders_user_idx left behind',
          'view app.emails not restored',
          'table users comment people restored as humans',
          'type mood definition ["sad", "ok"] restored as ["sad", "ok", "happy"]',
          'function touch() definition differs',
        ]),
      );
    });
  });
}
