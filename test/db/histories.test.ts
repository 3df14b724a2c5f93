/**
 * Histories pgmig only reads: drizzle's journal-keyed rows, sqitch's registry, and the tables of
 * runners whose migrations are not SQL (Knex, Django, Alembic, Rails), listed next to the
 * folder's own history.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadFolder } from '../../server/src/folder/load';
import { initParser } from '../../server/src/parser/parse';
import { sha1Hex, sha256Hex } from '../../server/src/runner/history/checksums';
import { Runner } from '../../server/src/runner/runner';
import { removeTempDirs } from './helpers/folders';
import { openTarget } from './helpers/targets';
import { writeFolder } from './helpers/write';

afterAll(removeTempDirs);

describe('read-only histories on the server', () => {
  it('drizzle: rows keyed by the journal time, everything up to the latest counts as applied', async () => {
    await initParser();
    const a = 'CREATE TABLE a (id int);\n';
    const b = 'CREATE TABLE b (id int);\n';
    const root = writeFolder({
      '0000_first.sql': a,
      '0001_second.sql': b,
      '0002_third.sql': 'CREATE TABLE c (id int);\n',
      'meta/_journal.json': JSON.stringify({
        entries: [
          { idx: 0, when: 1700000000000, tag: '0000_first' },
          { idx: 1, when: 1700000001000, tag: '0001_second' },
          { idx: 2, when: 1700000002000, tag: '0002_third' },
        ],
      }),
    });
    const folder = loadFolder(root);
    expect(folder.format).toBe('drizzle');
    const t = await openTarget('server', root);
    try {
      await t.query('CREATE SCHEMA drizzle');
      await t.query(
        'CREATE TABLE drizzle.__drizzle_migrations (id serial PRIMARY KEY, hash text NOT NULL, created_at bigint)',
      );
      await t.query(
        'INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, 1700000000000), ($2, 1700000001000)',
        [sha256Hex(a), sha256Hex('CREATE TABLE b (id bigint);\n')],
      );
      const status = await new Runner({ folder, db: t.db }).status();
      expect(status.history).toMatchObject({ runner: 'drizzle', writable: false, exists: true });
      expect(status.entries.map((e) => [e.version, e.state])).toEqual([
        ['0000', 'applied'],
        ['0001', 'changed-since-applied'],
        ['0002', 'pending'],
      ]);
    } finally {
      await t.close();
    }
  });

  it('sqitch: the registry lists deployed changes with the hash of their deploy script', async () => {
    await initParser();
    const deploy = 'BEGIN;\nCREATE TABLE users (id int);\nCOMMIT;\n';
    const root = writeFolder({
      'sqitch.plan':
        '%syntax-version=1.0.0\n%project=app\n\nusers 2024-01-01T00:00:00Z Me <me@example.com> # users\nposts 2024-01-02T00:00:00Z Me <me@example.com> # posts\n',
      'deploy/users.sql': deploy,
      'revert/users.sql': 'BEGIN;\nDROP TABLE users;\nCOMMIT;\n',
      'deploy/posts.sql': 'BEGIN;\nCREATE TABLE posts (id int);\nCOMMIT;\n',
      'revert/posts.sql': 'BEGIN;\nDROP TABLE posts;\nCOMMIT;\n',
    });
    const folder = loadFolder(root);
    expect(folder.format).toBe('sqitch');
    const t = await openTarget('server', root);
    try {
      await t.query('CREATE SCHEMA sqitch');
      await t.query(
        'CREATE TABLE sqitch.changes (change_id text PRIMARY KEY, script_hash text, change text NOT NULL, committed_at timestamptz NOT NULL DEFAULT now())',
      );
      await t.query(
        "INSERT INTO sqitch.changes (change_id, script_hash, change) VALUES ('x1', $1, 'users')",
        [sha1Hex(deploy)],
      );
      const status = await new Runner({ folder, db: t.db }).status();
      expect(status.entries.map((e) => [e.name, e.state])).toEqual([
        ['users', 'applied'],
        ['posts', 'pending'],
      ]);
    } finally {
      await t.close();
    }
  });

  it('other runners’ tables in the same database are listed with their row counts', async () => {
    await initParser();
    const root = writeFolder({
      '001_a.sql': '-- UP\nCREATE TABLE a (id int);\n-- DOWN\nDROP TABLE a;\n',
    });
    const t = await openTarget('server', root);
    try {
      await t.query(
        'CREATE TABLE knex_migrations (id serial, name text, batch int, migration_time timestamptz)',
      );
      await t.query(
        "INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('20240101_init.js', 1, now())",
      );
      await t.query(
        'CREATE TABLE django_migrations (id serial, app text, name text, applied timestamptz)',
      );
      await t.query(
        "INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0001_initial', now()), ('auth', '0002', now())",
      );
      await t.query('CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)');
      await t.query("INSERT INTO alembic_version VALUES ('ae1027a6acf')");
      // dbmate-shaped schema_migrations without ar_internal_metadata is not Rails'
      await t.query('CREATE TABLE schema_migrations (version varchar PRIMARY KEY)');
      const status = await new Runner({ folder: loadFolder(root), db: t.db }).status();
      expect(status.others).toEqual([
        { runner: 'dbmate', table: 'schema_migrations', rows: 0 },
        { runner: 'knex', table: 'knex_migrations', rows: 1 },
        { runner: 'django', table: 'django_migrations', rows: 2 },
        { runner: 'alembic', table: 'alembic_version', rows: 1 },
      ]);
      await t.query('CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar)');
      const withRails = await new Runner({ folder: loadFolder(root), db: t.db }).status();
      expect(withRails.others.map((o) => o.runner)).toEqual(['knex', 'django', 'alembic', 'rails']);
    } finally {
      await t.close();
    }
  });
});
