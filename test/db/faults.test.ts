/**
 * Faults: a connection killed in the middle of a migration, a non-transactional migration that
 * fails half-way, two runs at once, lock timeouts, cancelling — on the real server and (where
 * the fault exists there) on the embedded database.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/src/db/open';
import { loadFolder } from '../../server/src/folder/load';
import { initParser } from '../../server/src/parser/parse';
import { Runner } from '../../server/src/runner/runner';
import type { RunnerEvent } from '../../server/src/runner/types';
import { removeTempDirs } from './helpers/folders';
import { admin } from './helpers/server';
import { closeTargets, openTarget, TARGETS, type Target } from './helpers/targets';
import { until, writeFolder } from './helpers/write';

afterAll(async () => {
  await closeTargets();
  removeTempDirs();
});

/** Records the clients a Database hands out, so a test can break one. */
function spyClients(db: Database): pg.Client[] {
  const clients: pg.Client[] = [];
  const connect = db.connect.bind(db);
  db.connect = async () => {
    const c = await connect();
    clients.push(c);
    return c;
  };
  return clients;
}

const GOOSE_USERS =
  '-- +goose Up\nCREATE TABLE users (id int PRIMARY KEY, email text);\n-- +goose Down\nDROP TABLE users;\n';

async function tables(t: Target): Promise<string[]> {
  const r = await t.query<{ n: string }>(
    "SELECT tablename AS n FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'pgmig%' ORDER BY 1",
  );
  return r.map((x) => x.n);
}

/** Versions goose itself would call applied: the latest row of each version says is_applied. */
async function gooseVersions(t: Target): Promise<string[]> {
  const r = await t.query<{ v: string }>(
    `SELECT v FROM (SELECT DISTINCT ON (version_id) version_id::text AS v, is_applied
       FROM goose_db_version WHERE version_id > 0 ORDER BY version_id, id DESC) x
     WHERE is_applied ORDER BY v`,
  );
  return r.map((x) => x.v);
}

describe.each(TARGETS)('on the %s database', (kind) => {
  it('a connection lost mid-migration records nothing, changes nothing, and the next run applies it', async () => {
    await initParser();
    const root = writeFolder({
      '001_users.sql': GOOSE_USERS,
      // the sleep only happens while the flag table has a row
      '002_orders.sql':
        '-- +goose Up\nCREATE TABLE orders (id int);\nSELECT pg_sleep(30) FROM sleep_flag;\nCREATE TABLE order_lines (id int);\n-- +goose Down\nDROP TABLE order_lines;\nDROP TABLE orders;\n',
    });
    const t = await openTarget(kind, root);
    try {
      await t.query('CREATE TABLE sleep_flag (x int)');
      await t.query('INSERT INTO sleep_flag VALUES (1)');
      const clients = spyClients(t.db);
      let killed = false;
      const onEvent = (e: RunnerEvent) => {
        if (killed || e.type !== 'statement-start' || !e.text.startsWith('SELECT pg_sleep')) return;
        killed = true;
        const runnerClient = clients[clients.length - 1];
        if (kind === 'server') {
          // from a second connection, as an operator would
          void until('the sleeping statement', async () => {
            const r = await admin<{ pid: number }>(
              "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep%'",
            );
            return r.rows[0]?.pid;
          }).then((pid) => admin('SELECT pg_terminate_backend($1)', [pid]));
        } else {
          // PGlite has one backend: losing the connection is the socket going away
          (
            runnerClient as unknown as { connection: { stream: { destroy(): void } } }
          ).connection.stream.destroy();
        }
      };
      await t.query('SELECT 1');
      const runner = new Runner({ folder: loadFolder(root), db: t.db, onEvent });
      const r = await runner.up();
      expect(killed).toBe(true);
      expect(r.done.map((d) => d.version)).toEqual(['001']);
      expect(r.failure).toMatchObject({ kind: 'connection', version: '002' });
      expect(await tables(t)).toEqual(['goose_db_version', 'sleep_flag', 'users']);
      const history = await t.query<{ v: string }>(
        'SELECT version_id::text AS v FROM goose_db_version ORDER BY id',
      );
      expect(history.map((x) => x.v)).toEqual(['0', '1']);
      const status = await new Runner({ folder: loadFolder(root), db: t.db }).status();
      expect(status.entries.map((e) => e.state)).toEqual(['applied', 'pending']);

      await t.query('DELETE FROM sleep_flag');
      const again = await new Runner({ folder: loadFolder(root), db: t.db }).up();
      expect(again.failure).toBeUndefined();
      expect(again.done.map((d) => d.version)).toEqual(['002']);
      expect(await tables(t)).toEqual([
        'goose_db_version',
        'order_lines',
        'orders',
        'sleep_flag',
        'users',
      ]);
    } finally {
      await t.close();
    }
  });

  it('a failing non-transactional migration is marked failed, blocks runs, and resumes on retry', async () => {
    await initParser();
    const root = writeFolder({
      '001_users.sql': GOOSE_USERS,
      '002_indexes.sql':
        '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE TABLE audit (id int, user_id int);\nCREATE INDEX CONCURRENTLY audit_user_idx ON audit ((user_id + typo));\nCREATE INDEX CONCURRENTLY audit_id_idx ON audit (id);\n-- +goose Down\nDROP TABLE audit;\n',
      '003_more.sql':
        '-- +goose Up\nCREATE TABLE more (id int);\n-- +goose Down\nDROP TABLE more;\n',
    });
    const t = await openTarget(kind, root);
    try {
      const r = await new Runner({ folder: loadFolder(root), db: t.db }).up();
      expect(r.done.map((d) => d.version)).toEqual(['001']);
      expect(r.failure).toMatchObject({
        kind: 'sql',
        version: '002',
        file: join(root, '002_indexes.sql'),
        line: 3,
        code: '42703',
      });
      expect(r.failure!.message).toMatch(/column "typo" does not exist/);
      expect(r.failure!.message).toMatch(/1 statement\(s\) before it stay applied/);
      // PostgreSQL's error position, mapped back into the file
      expect(r.failure!.character).toBe(
        'CREATE INDEX CONCURRENTLY audit_user_idx ON audit ((user_id + '.length,
      );
      expect(await tables(t)).toEqual(['audit', 'goose_db_version', 'users']);

      let status = await new Runner({ folder: loadFolder(root), db: t.db }).status();
      expect(status.entries.map((e) => e.state)).toEqual(['applied', 'failed', 'pending']);
      expect(status.entries[1].failure?.code).toBe('42703');
      expect(status.blocked?.kind).toBe('blocked');

      const blocked = await new Runner({ folder: loadFolder(root), db: t.db }).up();
      expect(blocked.failure?.kind).toBe('blocked');
      expect(blocked.failure?.message).toMatch(/pgmig resolve 002 --retry/);
      expect(blocked.done).toEqual([]);
      const downBlocked = await new Runner({ folder: loadFolder(root), db: t.db }).down();
      expect(downBlocked.failure?.kind).toBe('blocked');

      // fix the typo; the retry skips the CREATE TABLE that already ran
      const file = join(root, '002_indexes.sql');
      writeFileSync(file, readFileSync(file, 'utf8').replace(' + typo', ''));
      const retried = await new Runner({ folder: loadFolder(root), db: t.db }).resolve(
        '002',
        'retry',
      );
      expect(retried.failure).toBeUndefined();
      expect(retried.done.map((d) => d.version)).toEqual(['002']);
      status = await new Runner({ folder: loadFolder(root), db: t.db }).status();
      expect(status.entries.map((e) => e.state)).toEqual(['applied', 'applied', 'pending']);
      const idx = await t.query<{ n: string }>(
        "SELECT indexname AS n FROM pg_indexes WHERE tablename = 'audit' ORDER BY 1",
      );
      expect(idx.map((x) => x.n)).toEqual(['audit_id_idx', 'audit_user_idx']);
      expect(
        (await new Runner({ folder: loadFolder(root), db: t.db }).up()).done.map((d) => d.version),
      ).toEqual(['003']);
    } finally {
      await t.close();
    }
  });

  it('a failed migration can be marked applied or not applied by hand', async () => {
    await initParser();
    const root = writeFolder({
      // goose sends NO TRANSACTION statements one by one: the CREATE TABLE stays when SELECT fails
      // (dbmate's transaction:false would send both as one query string, failing atomically)
      '20240101000001_a.sql':
        '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE TABLE a (id int);\nSELECT 1/0;\n-- +goose Down\nDROP TABLE a;\n',
      '20240101000002_b.sql':
        '-- +goose Up\nCREATE TABLE b (id int);\n-- +goose Down\nDROP TABLE b;\n',
    });
    const t = await openTarget(kind, root);
    try {
      const r = await new Runner({ folder: loadFolder(root), db: t.db }).up();
      expect(r.failure).toMatchObject({ kind: 'sql', code: '22012', line: 3 });
      const wrong = await new Runner({ folder: loadFolder(root), db: t.db }).resolve(
        '20240101000002',
        'applied',
      );
      expect(wrong.failure?.message).toMatch(/not in the failed state \(failed: 20240101000001\)/);
      const applied = await new Runner({ folder: loadFolder(root), db: t.db }).resolve(
        '20240101000001',
        'applied',
      );
      expect(applied.failure).toBeUndefined();
      expect(applied.status?.entries.map((e) => e.state)).toEqual(['applied', 'pending']);
      expect(await gooseVersions(t)).toEqual(['20240101000001']);
      // down, fail again, and this time record it as not applied
      expect(
        (await new Runner({ folder: loadFolder(root), db: t.db }).down()).failure,
      ).toBeUndefined();
      await new Runner({ folder: loadFolder(root), db: t.db }).up();
      await t.query('DROP TABLE a');
      const notApplied = await new Runner({ folder: loadFolder(root), db: t.db }).resolve(
        '20240101000001',
        'not-applied',
      );
      expect(notApplied.failure).toBeUndefined();
      expect(notApplied.status?.entries.map((e) => e.state)).toEqual(['pending', 'pending']);
      expect(await gooseVersions(t)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('two runs at once apply every migration exactly once', async () => {
    await initParser();
    const files: Record<string, string> = {
      '001_log.sql':
        '-- +goose Up\nCREATE TABLE run_log (migration text);\n-- +goose Down\nDROP TABLE run_log;\n',
    };
    for (let i = 2; i <= 8; i++)
      files[`00${i}_m.sql`] =
        `-- +goose Up\nINSERT INTO run_log VALUES ('${i}');\nSELECT pg_sleep(0.05);\n-- +goose Down\nDELETE FROM run_log WHERE migration = '${i}';\n`;
    const root = writeFolder(files);
    const t = await openTarget(kind, root);
    try {
      // two runners with their own Database objects, as two processes would have
      const { openDatabase } = await import('../../server/src/db/open');
      const { resolveConnection } = await import('../../server/src/db/resolve');
      const second =
        kind === 'server'
          ? await openDatabase(resolveConnection({ db: t.url, embeddedRoot: root, env: {} }))
          : t.db;
      try {
        const [a, b] = await Promise.all([
          new Runner({ folder: loadFolder(root), db: t.db }).up(),
          new Runner({ folder: loadFolder(root), db: second }).up(),
        ]);
        expect(a.failure).toBeUndefined();
        expect(b.failure).toBeUndefined();
        const done = [...a.done, ...b.done].map((d) => d.version).sort();
        expect(done).toEqual(['001', '002', '003', '004', '005', '006', '007', '008']);
        const log = await t.query<{ migration: string }>(
          'SELECT migration FROM run_log ORDER BY 1',
        );
        expect(log.map((x) => x.migration)).toEqual(['2', '3', '4', '5', '6', '7', '8']);
        const versions = await t.query<{ v: number; n: number }>(
          'SELECT version_id::int AS v, count(*)::int AS n FROM goose_db_version GROUP BY 1 ORDER BY 1',
        );
        expect(versions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((v) => ({ v, n: 1 })));
      } finally {
        if (second !== t.db) await second.close();
      }
    } finally {
      await t.close();
    }
  });

  it('cancelling stops the run and records nothing for the migration it was in', async () => {
    await initParser();
    const root = writeFolder({
      '001_users.sql': GOOSE_USERS,
      '002_slow.sql':
        '-- +goose Up\nCREATE TABLE slow (id int);\nSELECT pg_sleep(30) FROM sleep_flag;\nCREATE TABLE slow2 (id int);\n-- +goose Down\nDROP TABLE slow;\n',
    });
    const t = await openTarget(kind, root);
    try {
      await t.query('CREATE TABLE sleep_flag (x int)');
      // the embedded database cannot interrupt a statement: it stops between statements
      if (kind === 'server') await t.query('INSERT INTO sleep_flag VALUES (1)');
      const controller = new AbortController();
      const onEvent = (e: RunnerEvent) => {
        if (
          kind === 'server' &&
          e.type === 'statement-start' &&
          e.text.startsWith('SELECT pg_sleep')
        )
          void until('the sleeping statement', async () => {
            const r = await admin<{ pid: number }>(
              "SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep%'",
            );
            return r.rows[0]?.pid;
          }).then(() => controller.abort());
        if (
          kind === 'embedded' &&
          e.type === 'statement-end' &&
          e.text.startsWith('SELECT pg_sleep')
        )
          controller.abort();
      };
      const r = await new Runner({
        folder: loadFolder(root),
        db: t.db,
        onEvent,
        signal: controller.signal,
      }).up();
      expect(r.failure).toMatchObject({ kind: 'cancelled', version: '002' });
      expect(r.failure?.line).toBe(kind === 'server' ? 2 : 3);
      expect(r.done.map((d) => d.version)).toEqual(['001']);
      expect(await tables(t)).toEqual(['goose_db_version', 'sleep_flag', 'users']);
      const status = await new Runner({ folder: loadFolder(root), db: t.db }).status();
      expect(status.entries.map((e) => e.state)).toEqual(['applied', 'pending']);
    } finally {
      await t.close();
    }
  });
});

describe('lock timeouts on the server', () => {
  const folder = () =>
    writeFolder({
      '001_users.sql': GOOSE_USERS,
      '002_add.sql':
        '-- +goose Up\nALTER TABLE users ADD COLUMN name text;\n-- +goose Down\nALTER TABLE users DROP COLUMN name;\n',
    });

  async function holdLock(t: Target): Promise<{ client: pg.Client; release(): Promise<void> }> {
    const client = await t.db.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE users IN ACCESS SHARE MODE');
    return {
      client,
      release: async () => {
        await client.query('COMMIT');
        await client.end();
      },
    };
  }

  it('retries with backoff, then fails with a clear error naming the blocker', async () => {
    await initParser();
    const root = folder();
    const t = await openTarget('server', root);
    try {
      const settings = { lockTimeoutMs: 100, lockRetries: 2, retryBackoffMs: 20 };
      expect(
        (await new Runner({ folder: loadFolder(root), db: t.db, settings }).up({ to: '001' }))
          .failure,
      ).toBeUndefined();
      const holder = await holdLock(t);
      try {
        const events: RunnerEvent[] = [];
        const r = await new Runner({
          folder: loadFolder(root),
          db: t.db,
          settings,
          onEvent: (e) => events.push(e),
        }).up();
        expect(
          events.filter((e) => e.type === 'retry').map((e) => (e as { attempt: number }).attempt),
        ).toEqual([1, 2]);
        expect(r.failure).toMatchObject({
          kind: 'lock-timeout',
          version: '002',
          line: 1,
          code: '55P03',
        });
        expect(r.failure!.message).toMatch(
          /canceling statement due to lock timeout.*tried 3 times; lock_timeout 100 ms/,
        );
        const pid = (holder.client as unknown as { processID: number }).processID;
        expect(r.failure!.detail).toMatch(
          new RegExp(
            `blocked by pid ${pid} holds AccessShareLock on users \\(idle in transaction: LOCK TABLE users`,
          ),
        );
        const status = await new Runner({ folder: loadFolder(root), db: t.db }).status();
        expect(status.entries.map((e) => e.state)).toEqual(['applied', 'pending']);
      } finally {
        await holder.release();
      }
    } finally {
      await t.close();
    }
  });

  it('succeeds on a retry once the blocker is gone', async () => {
    await initParser();
    const root = folder();
    const t = await openTarget('server', root);
    try {
      const settings = { lockTimeoutMs: 100, lockRetries: 3, retryBackoffMs: 20 };
      expect(
        (await new Runner({ folder: loadFolder(root), db: t.db, settings }).up({ to: '001' }))
          .failure,
      ).toBeUndefined();
      const holder = await holdLock(t);
      let released: Promise<void> | undefined;
      const r = await new Runner({
        folder: loadFolder(root),
        db: t.db,
        settings,
        onEvent: (e) => {
          if (e.type === 'retry' && !released) released = holder.release();
        },
      }).up();
      await released;
      expect(r.failure).toBeUndefined();
      expect(r.done.map((d) => d.version)).toEqual(['002']);
    } finally {
      await t.close();
    }
  });
});
