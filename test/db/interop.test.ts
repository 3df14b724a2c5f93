/**
 * The team's own tool agrees with what pgmig wrote: after `pgmig up`, dbmate's status lists the
 * same applied set and dbmate rolls back what pgmig applied; node-pg-migrate finds nothing to run
 * and rolls back pgmig's migrations; and pgmig reads back what those tools did.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../unit/cli/run';
import { fixture, removeTempDirs } from './helpers/folders';
import { createDatabase } from './helpers/server';

const BIN = join(__dirname, '../../node_modules/.bin');

function tool(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(join(BIN, cmd), args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

interface StatusJson {
  entries: Array<{ version: string; state: string }>;
}

async function states(root: string, url: string): Promise<string[]> {
  const r = await cli(['status', root, '--db', url, '--format', 'json']);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as StatusJson).entries.map((e) => `${e.version}:${e.state}`);
}

afterAll(removeTempDirs);

describe('dbmate', () => {
  it('agrees with pgmig on the applied set, and rolls back what pgmig applied', async () => {
    const t = await createDatabase();
    try {
      const root = fixture('dbmate');
      const url = `${t.url}?sslmode=disable`;
      const dbmate = (...args: string[]) =>
        tool('dbmate', ['--url', url, '--migrations-dir', root, '--no-dump-schema', ...args]);

      expect((await cli(['up', root, '--db', url, '--to', '20240101000002'])).code).toBe(0);
      let s = dbmate('status');
      expect(s.out).toContain('[X] 20240101000001_users.sql');
      expect(s.out).toContain('[X] 20240101000002_posts.sql');
      expect(s.out).toContain('[ ] 20240101000003_posts_user_idx.sql');
      expect(s.out).toMatch(/Applied: 2\s+Pending: 1/);

      expect((await cli(['up', root, '--db', url])).code).toBe(0);
      s = dbmate('status');
      expect(s.out).toMatch(/Applied: 3\s+Pending: 0/);

      const rb = dbmate('rollback');
      expect(rb.code).toBe(0);
      expect(rb.out).toContain('Rolled back: 20240101000003_posts_user_idx.sql');
      expect(await t.query("SELECT to_regclass('posts_user_id_idx') AS i")).toEqual([{ i: null }]);
      expect(await states(root, url)).toEqual([
        '20240101000001:applied',
        '20240101000002:applied',
        '20240101000003:pending',
      ]);

      // and the other way round: dbmate applies, pgmig rolls back
      expect(dbmate('up').code).toBe(0);
      expect(await states(root, url)).toEqual([
        '20240101000001:applied',
        '20240101000002:applied',
        '20240101000003:applied',
      ]);
      expect((await cli(['down', root, '--db', url, '-n', '2'])).code).toBe(0);
      s = dbmate('status');
      expect(s.out).toMatch(
        /\[X\] 20240101000001_users\.sql\s+\[ \] 20240101000002_posts\.sql\s+\[ \] 20240101000003_posts_user_idx\.sql/,
      );
    } finally {
      await t.drop();
    }
  });
});

describe('node-pg-migrate', () => {
  it('finds nothing to run after pgmig up, and rolls back what pgmig applied', async () => {
    const t = await createDatabase();
    try {
      const root = fixture('node-pg-migrate');
      const npm = (...args: string[]) =>
        tool('node-pg-migrate', [...args, '--migrations-dir', root, '--verbose', 'false'], {
          DATABASE_URL: t.url,
        });

      expect((await cli(['up', root, '--db', t.url])).code).toBe(0);
      const up = npm('up');
      expect(up.code).toBe(0);
      expect(up.out).toContain('No migrations to run!');

      const down = npm('down');
      expect(down.code).toBe(0);
      expect(down.out).toContain('MIGRATION 1700000000003_posts_user_idx (DOWN)');
      expect(await t.query("SELECT to_regclass('posts_user_id_idx') AS i")).toEqual([{ i: null }]);
      expect(await states(root, t.url)).toEqual([
        '1700000000001:applied',
        '1700000000002:applied',
        '1700000000003:pending',
      ]);

      // node-pg-migrate applies, pgmig sees it and rolls it back
      expect(npm('up').code).toBe(0);
      expect(await states(root, t.url)).toEqual([
        '1700000000001:applied',
        '1700000000002:applied',
        '1700000000003:applied',
      ]);
      expect((await cli(['down', root, '--db', t.url])).code).toBe(0);
      const again = npm('up');
      expect(again.code).toBe(0);
      expect(again.out).toContain('MIGRATION 1700000000003_posts_user_idx (UP)');
    } finally {
      await t.drop();
    }
  });
});
