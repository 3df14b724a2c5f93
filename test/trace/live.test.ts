/**
 * Table sizes and live activity, the functions the runner and the editor call before running a
 * migration on a real database: estimated rows and bytes (partitioned tables summed over their
 * partitions), open transactions holding locks the migration conflicts with, long transactions.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSql } from '../../server/src/parser/parse';
import { maskQuery, openTransactions } from '../../server/src/trace/activity';
import { checkBeforeRun } from '../../server/src/trace/live';
import { formatBytes, formatRows, weigh } from '../../server/src/linter/tableSize';
import { tableSizes } from '../../server/src/trace/size';
import { TextIndex } from '../../server/src/text/positions';
import { requireServer, SERVER_URL } from './helpers';

describe('size words', () => {
  it('rounds rows and bytes the way people say them', () => {
    expect(formatRows(undefined)).toBe('rows unknown (never analyzed)');
    expect(formatRows(850)).toBe('~850 rows');
    expect(formatRows(12_345_678)).toBe('~12 M rows');
    expect(formatRows(1_500)).toBe('~1.5 k rows');
    expect(formatBytes(3.4 * 1024 ** 3)).toBe('3.4 GB');
    expect(formatBytes(512)).toBe('512 bytes');
  });

  it('weighs a lock by what the statement does to the table', () => {
    const big = {
      table: 'public.users',
      estimatedRows: 12_000_000,
      totalBytes: 3.4 * 1024 ** 3,
      heapBytes: 2.5 * 1024 ** 3,
    };
    expect(weigh(big, { mode: 'ACCESS EXCLUSIVE', rewrite: true })).toBe(
      'users: ~12 M rows, 3.4 GB — this rewrite holds ACCESS EXCLUSIVE for minutes',
    );
    expect(weigh(big, { mode: 'SHARE', indexBuild: true })).toBe(
      'users: ~12 M rows, 3.4 GB — this index build holds SHARE for seconds',
    );
    expect(weigh(big, { mode: 'ACCESS EXCLUSIVE' })).toContain(
      'is taken only briefly (no rewrite or scan)',
    );
  });

  it('masks passwords in other sessions’ queries', () => {
    expect(maskQuery("ALTER ROLE app PASSWORD 'hunter2'")).toBe('ALTER ROLE app PASSWORD ***');
    expect(maskQuery("SELECT dblink_connect('host=x password=hunter2')")).not.toContain('hunter2');
  });
});

describe('sizes and activity on the PostgreSQL server', { timeout: 120_000 }, () => {
  const name = `pgmig_live_test_${randomBytes(4).toString('hex')}`;
  const url = SERVER_URL.replace(/\/[^/]*$/, `/${name}`);
  let admin: pg.Client;
  let db: pg.Client;
  let other: pg.Client;

  beforeAll(async () => {
    await initParser();
    await requireServer();
    admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    db = new pg.Client({ connectionString: url });
    await db.connect();
    await db.query(`
      CREATE TABLE users (id bigint PRIMARY KEY, email text);
      INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, 5000) g;
      CREATE TABLE events (id int, at date) PARTITION BY RANGE (at);
      CREATE TABLE events_a PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE events_b PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      INSERT INTO events SELECT g, date '2024-06-01' + (g % 400) FROM generate_series(1, 3000) g;
      ANALYZE users; ANALYZE events_a; ANALYZE events_b;
      CREATE TABLE fresh (id int);`);
    other = new pg.Client({ connectionString: url, application_name: 'nightly-report' });
    await other.connect();
  });

  afterAll(async () => {
    await other?.end().catch(() => {});
    await db?.end().catch(() => {});
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin?.end().catch(() => {});
  });

  it('reads estimated rows and sizes, partitions summed, unknown tables left out', async () => {
    const sizes = await tableSizes(db, [
      'public.users',
      'public.events',
      'public.fresh',
      'public.nosuch',
    ]);
    const by = new Map(sizes.map((s) => [s.table, s]));
    expect([...by.keys()].sort()).toEqual(['public.events', 'public.fresh', 'public.users']);
    expect(by.get('public.users')!.estimatedRows).toBe(5000);
    expect(by.get('public.events')!.estimatedRows).toBe(3000);
    expect(by.get('public.events')!.heapBytes).toBeGreaterThan(0);
    const real = await db.query("SELECT pg_total_relation_size('users')::int8 AS b");
    expect(by.get('public.users')!.totalBytes).toBe(Number(real.rows[0].b));
    expect(by.get('public.fresh')!.estimatedRows).toBeUndefined();
  });

  it('warns about an open transaction holding a lock the migration conflicts with', async () => {
    const pid = Number((await other.query('SELECT pg_backend_pid() AS p')).rows[0].p);
    await other.query('BEGIN');
    await other.query('SELECT count(*) FROM users');
    try {
      const txs = await openTransactions(db, ['public.users']);
      expect(txs.map((t) => t.pid)).toEqual([pid]);
      expect(txs[0]).toMatchObject({ application: 'nightly-report', state: 'idle in transaction' });
      expect(txs[0].locks).toEqual([{ table: 'public.users', mode: 'ACCESS SHARE' }]);

      const stmts = (sql: string) => parseSql(new TextIndex(sql)).statements;
      const [warning] = await checkBeforeRun(db, stmts('ALTER TABLE users ADD COLUMN a int;'));
      expect(warning).toMatch(
        new RegExp(
          `^pid ${pid} \\(nightly-report\\), idle in transaction for \\d+ s, holds ACCESS SHARE on users: the migration's ACCESS EXCLUSIVE on users would queue behind it`,
        ),
      );
      expect(warning).toContain('last query: SELECT count(*) FROM users');
      // SHARE UPDATE EXCLUSIVE does not conflict with ACCESS SHARE
      expect(
        await checkBeforeRun(db, stmts('CREATE INDEX CONCURRENTLY i ON users (email);')),
      ).toEqual([]);
      // a transaction on other tables counts only once it is old
      expect(await checkBeforeRun(db, stmts('ALTER TABLE events ADD COLUMN b int;'))).toEqual([]);
      const long = await checkBeforeRun(db, stmts('ALTER TABLE events ADD COLUMN b int;'), {
        longSeconds: 0,
      });
      expect(long[0]).toContain(
        'a long transaction holds back CREATE INDEX CONCURRENTLY and VACUUM',
      );
    } finally {
      await other.query('ROLLBACK');
    }
    expect(await openTransactions(db, ['public.users'])).toEqual([]);
  });
});
