/**
 * `pgmig trace`: text and JSON output on the embedded database, DOWN sections, failures and bad
 * input; on the real server, the sizes of the locked tables and the open transactions the
 * migration would queue behind, read from the database the user named.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../server/src/trace/types';
import { cli } from '../unit/cli/run';
import { dbmate, makeFolder, requireServer, SERVER_URL } from './helpers';

const FILES = {
  'db/migrations/20240101000000_users.sql': dbmate(
    'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255), age int);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);',
    'DROP TABLE orders;\nDROP TABLE users;',
  ),
  'db/migrations/20240102000000_hazards.sql': dbmate(
    [
      'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
      'CREATE INDEX users_age_idx ON users (age);',
      'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
    ].join('\n'),
    'ALTER TABLE orders DROP CONSTRAINT orders_user_fk;\nDROP INDEX users_age_idx;\nALTER TABLE users DROP COLUMN token;',
  ),
  'db/migrations/20240103000000_concurrently.sql':
    '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY users_email_idx;\n',
  'db/migrations/20240104000000_fails.sql': dbmate(
    'ALTER TABLE users ADD COLUMN a int;\nALTER TABLE nosuch ADD COLUMN b int;\nALTER TABLE users ADD COLUMN c int;',
  ),
};

const made = makeFolder(FILES);
const dir = join(made.root, 'db/migrations');
afterAll(() => made.cleanup());

async function traceJson(
  args: string[],
): Promise<{ code: number; r: TraceResult; stderr: string }> {
  const out = await cli(['trace', ...args, '--format', 'json']);
  return { code: out.code, r: JSON.parse(out.stdout) as TraceResult, stderr: out.stderr };
}

describe('pgmig trace on the embedded database', { timeout: 180_000 }, () => {
  it('prints each statement with its measured locks and effects', async () => {
    const out = await cli(['trace', join(dir, '20240102000000_hazards.sql')]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(
      /measured on PostgreSQL 1\d\.\d+ \(embedded, in memory\), after replaying 1 earlier migration/,
    );
    expect(out.stdout).toContain('runs in one transaction (dbmate');
    expect(out.stdout).toContain(
      'ACCESS EXCLUSIVE on users — blocks reads and writes; table users rewritten with 1 index',
    );
    // the index build and the FK run inside the first statement's lock window
    expect(out.stdout).toContain(
      'ACCESS EXCLUSIVE on users still held from an earlier statement (blocks reads and writes); full scan of users',
    );
    expect(out.stdout).toContain('SHARE ROW EXCLUSIVE on orders — blocks writes (reads continue)');
  });

  it('writes the same result as JSON, with hovers and positions', async () => {
    const { code, r } = await traceJson([join(dir, '20240102000000_hazards.sql')]);
    expect(code).toBe(0);
    expect(r.server.embedded).toBe(true);
    expect(r.replayed).toBe(1);
    const [first, second, third] = r.sections[0].statements;
    expect(first.range.start).toEqual({ line: 1, character: 0 });
    expect(first.locks[0]).toMatchObject({
      relation: 'public.users',
      mode: 'ACCESS EXCLUSIVE',
      taken: true,
    });
    expect(first.rewritten).toEqual(['public.users']);
    expect(first.hover).toMatch(
      /^\*\*pgmig trace\*\* — measured on PostgreSQL 1\d\.\d+ \(embedded\): ACCESS EXCLUSIVE on users/,
    );
    expect(second.kind).toBe('IndexStmt');
    expect(third.locks.find((l) => l.relation === 'public.orders')?.mode).toBe(
      'SHARE ROW EXCLUSIVE',
    );
    expect(r.ok).toBe(true);
  });

  it('traces DOWN on top of the UP', async () => {
    const { code, r } = await traceJson([join(dir, '20240102000000_hazards.sql'), '--down']);
    expect(code).toBe(0);
    expect(r.sections.map((s) => s.kind)).toEqual(['down']);
    expect(r.sections[0].statements[0].summary).toContain('ACCESS EXCLUSIVE on orders and users');
  });

  it('reports a statement outside a transaction as not traced on the single-session database', async () => {
    const { code, r } = await traceJson([join(dir, '20240103000000_concurrently.sql')]);
    expect(code).toBe(0);
    const [t] = r.sections[0].statements;
    expect(t.status).toBe('not-traced');
    expect(t.transaction).toBe('outside');
    expect(r.notes.join(' ')).toContain('committed on the scratch database');
  });

  it('stops at a failing statement with the server error and exits 1', async () => {
    const out = await cli(['trace', join(dir, '20240104000000_fails.sql')]);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('failed: relation "nosuch" does not exist');
    expect(out.stdout).toContain('not run: an earlier statement (line 3) failed');
  });

  it('traces a whole folder in order, stopping at the migration that fails', async () => {
    const out = await cli(['trace', dir, '--format', 'json']);
    expect(out.code).toBe(1);
    const { results, stopped } = JSON.parse(out.stdout) as {
      results: TraceResult[];
      stopped?: string;
    };
    expect(results.map((r) => [r.migration.version, r.ok])).toEqual([
      ['20240101000000', true],
      ['20240102000000', true],
      ['20240103000000', true],
      ['20240104000000', false],
    ]);
    // each one runs on top of the ones before: the index build sees the rewritten table
    expect(results[1].sections[0].statements[1].summary).toContain('full scan of users');
    expect(results[2].sections[0].applied).toBe('all');
    expect(stopped).toBe('20240104000000_fails.sql fails: the migrations after it are not traced');
  });

  it('refuses bad input with a clear message and exit 2', async () => {
    const missing = await cli(['trace', join(dir, 'nope.sql')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
    const down = await cli(['trace', dir, '--down']);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('--down traces one migration');
    const format = await cli(['trace', join(dir, '20240102000000_hazards.sql'), '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format must be text or json');
    const url = await cli(['trace', join(dir, '20240102000000_hazards.sql'), '--db', 'nonsense']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain("unknown connection 'nonsense'");
  });

  it('refuses a connection marked protected', async () => {
    const f = makeFolder({
      ...FILES,
      'pgmig.json': JSON.stringify({
        connections: {
          prod: { url: 'postgres://app@db.example.com:5432/app', protected: true },
        },
      }),
    });
    try {
      const out = await cli([
        'trace',
        join(f.root, 'db/migrations/20240102000000_hazards.sql'),
        '--db',
        'prod',
      ]);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain("connection 'prod' is marked protected");
    } finally {
      f.cleanup();
    }
  });

  it('exits 1 when an earlier migration does not apply', async () => {
    const f = makeFolder({
      'db/migrations/001_bad.sql': dbmate('CREATE TABLE t (a nosuchtype);'),
      'db/migrations/002_next.sql': dbmate('ALTER TABLE t ADD COLUMN b int;'),
    });
    try {
      const out = await cli(['trace', join(f.root, 'db/migrations/002_next.sql')]);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('an earlier migration fails');
      expect(out.stderr).toContain('type "nosuchtype" does not exist');
    } finally {
      f.cleanup();
    }
  });
});

describe('pgmig trace --db on the PostgreSQL server', { timeout: 180_000 }, () => {
  const name = `pgmig_trace_test_${randomBytes(4).toString('hex')}`;
  const url = SERVER_URL.replace(/\/[^/]*$/, `/${name}`);
  let admin: pg.Client;
  let app: pg.Client;
  let holder: pg.Client;

  beforeAll(async () => {
    await requireServer();
    admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    // "production": the tables exist there with data
    app = new pg.Client({ connectionString: url });
    await app.connect();
    await app.query(
      'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255), age int); CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);',
    );
    await app.query(
      "INSERT INTO users SELECT g, 'u' || g, g % 90 FROM generate_series(1, 20000) g",
    );
    await app.query('ANALYZE users');
    holder = new pg.Client({ connectionString: url, application_name: 'report-job' });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT count(*) FROM users');
  });

  afterAll(async () => {
    await holder?.end().catch(() => {});
    await app?.end().catch(() => {});
    await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin?.end().catch(() => {});
  });

  it('measures on a scratch database and weighs the locks by the real tables', async () => {
    const { code, r } = await traceJson([join(dir, '20240102000000_hazards.sql'), '--db', url]);
    expect(code).toBe(0);
    expect(r.server.embedded).toBe(false);
    expect(r.server.label).toContain('pgmig_scratch_');
    expect(r.live?.database).toContain(name);
    const users = r.live!.sizes.find((s) => s.table === 'public.users')!;
    expect(users.estimatedRows).toBe(20000);
    expect(users.text).toMatch(/^users: ~20 k rows, \d+(\.\d)? (kB|MB)$/);
    const first = r.sections[0].statements[0];
    expect(first.weights?.[0]).toMatch(
      /^users: ~20 k rows, .* — this rewrite holds ACCESS EXCLUSIVE for under a second$/,
    );
    // the open transaction that read users holds ACCESS SHARE: the rewrite would queue behind it
    const holderPid = Number((await holder.query('SELECT pg_backend_pid() AS p')).rows[0].p);
    const warning = r.live!.warnings.find((w) => w.startsWith(`pid ${holderPid} `))!;
    expect(warning).toContain('(report-job), idle in transaction');
    expect(warning).toContain(
      "holds ACCESS SHARE on users: the migration's ACCESS EXCLUSIVE on users would queue behind it",
    );
    const text = await cli(['trace', join(dir, '20240102000000_hazards.sql'), '--db', url]);
    expect(text.stdout).toContain(`warning: pid ${holderPid} (report-job)`);
    // the scratch database is gone, the real one untouched
    const left = await admin.query(
      "SELECT 1 FROM pg_database WHERE datname LIKE 'pgmig_scratch_' || $1 || '_%'",
      [String(process.pid)],
    );
    expect(left.rows).toEqual([]);
    const cols = await app.query(
      "SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'token'",
    );
    expect(cols.rows).toEqual([]);
  });

  it('observes CREATE INDEX CONCURRENTLY from a second session', async () => {
    const { code, r } = await traceJson([
      join(dir, '20240103000000_concurrently.sql'),
      '--db',
      url,
    ]);
    expect(code).toBe(0);
    const [t] = r.sections[0].statements;
    expect(t.status).toBe('traced');
    expect(t.transaction).toBe('outside');
    expect(t.summary).toContain('SHARE UPDATE EXCLUSIVE on users');
    // the open transaction holds back the index build: reported as a long transaction only if old,
    // but its ACCESS SHARE does not conflict with SHARE UPDATE EXCLUSIVE
    expect(r.live!.warnings.filter((w) => w.includes('would queue behind it'))).toEqual([]);
  });
});
