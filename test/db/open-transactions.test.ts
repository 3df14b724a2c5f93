/**
 * Before running, the runner warns about open transactions whose locks the migration's locks
 * conflict with: the migration would queue behind them and every query on the table behind it.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFolder } from '../../server/src/folder/load';
import { initParser } from '../../server/src/parser/parse';
import { Runner } from '../../server/src/runner/runner';
import type { RunnerEvent } from '../../server/src/runner/types';
import { removeTempDirs } from './helpers/folders';
import { openTarget } from './helpers/targets';
import { writeFolder } from './helpers/write';

afterAll(() => removeTempDirs());

describe('open transactions before a run (PostgreSQL server)', () => {
  it('warns with the pid of a transaction holding a lock the migration needs, then runs', async () => {
    await initParser();
    const root = writeFolder({
      '001_users.sql':
        '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY);\n-- +goose Down\nDROP TABLE users;\n',
      '002_email.sql':
        '-- +goose Up\nALTER TABLE users ADD COLUMN email text;\n-- +goose Down\nALTER TABLE users DROP COLUMN email;\n',
    });
    const t = await openTarget('server', root);
    const other = new pg.Client({ connectionString: t.url });
    await other.connect();
    try {
      await new Runner({ folder: loadFolder(root), db: t.db }).up({ to: '001' });
      // a reader inside an open transaction holds ACCESS SHARE on users until it ends
      await other.query('BEGIN');
      await other.query('SELECT count(*) FROM users');
      const pid = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]
        .pid;

      const events: RunnerEvent[] = [];
      const runner = new Runner({
        folder: loadFolder(root),
        db: t.db,
        onEvent: (e) => events.push(e),
        settings: { lockTimeoutMs: 200, lockRetries: 0 },
      });
      const blocked = await runner.up();
      const warnings = events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));
      expect(warnings.join('\n')).toContain(`pid ${pid}`);
      expect(warnings.join('\n')).toMatch(/users/);
      // and the lock timeout then stops the migration instead of letting it queue forever
      expect(blocked.failure?.kind).toBe('lock-timeout');

      await other.query('COMMIT');
      const quiet: RunnerEvent[] = [];
      const r = await new Runner({
        folder: loadFolder(root),
        db: t.db,
        onEvent: (e) => quiet.push(e),
      }).up();
      expect(r.failure).toBeUndefined();
      expect(quiet.filter((e) => e.type === 'notice' && /pid/.test(e.message))).toEqual([]);
    } finally {
      await other.end();
      await t.close();
    }
  });
});
