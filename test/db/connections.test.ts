/**
 * Connections: where the database comes from, and clear, password-free errors for a wrong or
 * missing password, an unreachable host, TLS problems, a missing database and missing privileges.
 * Password and TLS cases run against a throwaway cluster with scram-sha-256 and a self-signed
 * certificate (the test server trusts everyone).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../unit/cli/run';
import { DbError } from '../../server/src/db/errors';
import { openDatabase } from '../../server/src/db/open';
import { resolveConnection } from '../../server/src/db/resolve';
import type { PasswordRequest } from '../../server/src/db/types';
import { loadFolder } from '../../server/src/folder/load';
import { initParser } from '../../server/src/parser/parse';
import { Runner } from '../../server/src/runner/runner';
import type { RunnerEvent } from '../../server/src/runner/types';
import { wireRunResult } from '../../server/src/runner/wire';
import { startCluster, type Cluster } from './helpers/cluster';
import { fixture, removeTempDirs } from './helpers/folders';
import { admin, createDatabase, type TestDatabase } from './helpers/server';
import { writeFolder } from './helpers/write';

const PASSWORD = 'S3cret-pgmig-Pw';
const WRONG = 'Wr0ng-pgmig-Pw';
let cluster: Cluster;
const savedPassfile = process.env.PGPASSFILE;

beforeAll(async () => {
  // no ~/.pgpass may answer for the tests
  process.env.PGPASSFILE = '/nonexistent/pgpass';
  delete process.env.PGPASSWORD;
  cluster = await startCluster(PASSWORD);
}, 120_000);

afterAll(() => {
  cluster?.stop();
  if (savedPassfile === undefined) delete process.env.PGPASSFILE;
  else process.env.PGPASSFILE = savedPassfile;
  removeTempDirs();
});

async function connectError(
  db: string,
  extra: { passwordProvider?: (r: PasswordRequest) => Promise<string | undefined> } = {},
): Promise<DbError> {
  const database = await openDatabase(
    resolveConnection({ db, embeddedRoot: '/nonexistent', env: {} }),
    {
      ...extra,
      env: {},
    },
  );
  try {
    const c = await database.connect();
    await c.end();
  } catch (e) {
    expect(e).toBeInstanceOf(DbError);
    return e as DbError;
  } finally {
    await database.close();
  }
  throw new Error(`connecting to ${db.replace(/:[^:@/]*@/, ':***@')} succeeded`);
}

const at = (user: string, pw: string | undefined, query = 'sslmode=require') =>
  `postgres://${user}${pw !== undefined ? `:${pw}` : ''}@127.0.0.1:${cluster.port}/postgres?${query}`;

describe('password authentication', () => {
  it('a wrong password: a clear message without the password', async () => {
    const e = await connectError(at('postgres', WRONG));
    expect(e.kind).toBe('auth');
    expect(e.message).toBe(
      `password authentication failed for user "postgres" on 127.0.0.1:${cluster.port} (postgres@127.0.0.1:${cluster.port}/postgres): check the password`,
    );
    expect(e.message).not.toContain(WRONG);
  });

  it('the right password in the URL connects; none at all is a clear error', async () => {
    const ok = await openDatabase(
      resolveConnection({ db: at('postgres', PASSWORD), embeddedRoot: '/x', env: {} }),
      { env: {} },
    );
    const c = await ok.connect();
    expect((await c.query('SELECT current_user AS u')).rows).toEqual([{ u: 'postgres' }]);
    await ok.close();
    const e = await connectError(at('postgres', undefined));
    expect(e.kind).toBe('no-password');
    expect(e.message).toMatch(/asks for a password for user "postgres" but none was given/);
  });

  it('asks the password provider only when the server wants one, once per connection', async () => {
    const asked: PasswordRequest[] = [];
    const named = {
      name: 'staging',
      host: '127.0.0.1',
      port: cluster.port,
      user: 'postgres',
      database: 'postgres',
      sslmode: 'require' as const,
    };
    const db = await openDatabase(resolveConnection({ db: named, embeddedRoot: '/x', env: {} }), {
      env: {},
      passwordProvider: async (r) => {
        asked.push(r);
        return PASSWORD;
      },
    });
    for (let i = 0; i < 2; i++) {
      const c = await db.connect();
      await c.end();
    }
    await db.close();
    expect(asked).toEqual([
      {
        name: 'staging',
        host: '127.0.0.1',
        port: cluster.port,
        user: 'postgres',
        database: 'postgres',
      },
    ]);
    expect(db.info).toMatchObject({
      kind: 'server',
      name: 'staging',
      scratch: false,
      label: `staging (postgres@127.0.0.1:${cluster.port}/postgres)`,
    });

    const wrong = await connectError(at('postgres', undefined), {
      passwordProvider: async () => WRONG,
    });
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).not.toContain(WRONG);
    const cancelled = await connectError(at('postgres', undefined), {
      passwordProvider: async () => undefined,
    });
    expect(cancelled.kind).toBe('no-password');
  });

  it('the CLI reports a wrong password without printing it, and exits 1', async () => {
    await initParser();
    const root = fixture('dbmate');
    const r = await cli(['status', root, '--db', at('postgres', WRONG)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/password authentication failed for user "postgres"/);
    expect(r.stdout + r.stderr).not.toContain(WRONG);
  });

  it('never prints the password of a working connection, even in server messages and events', async () => {
    await initParser();
    const root = writeFolder({
      '20240101000001_a.sql': `-- migrate:up\nDO $$ BEGIN RAISE NOTICE 'server said %', '${PASSWORD}'; END $$;\nSELECT 'x' || '${PASSWORD}';\nSELECT 1/0;\n-- migrate:down\n`,
    });
    const events: RunnerEvent[] = [];
    const url = at('postgres', PASSWORD);
    const db = await openDatabase(resolveConnection({ db: url, embeddedRoot: root, env: {} }), {
      env: {},
    });
    try {
      const r = await new Runner({
        folder: loadFolder(root),
        db,
        onEvent: (e) => events.push(e),
      }).up();
      expect(r.failure).toMatchObject({ kind: 'sql', code: '22012' });
      const notice = events.find((e) => e.type === 'notice');
      expect(notice).toMatchObject({ message: 'server said ***' });
      // what reaches the editor and the logs: the wire result and the events
      expect(JSON.stringify({ r: wireRunResult(r), events })).not.toContain(PASSWORD);
    } finally {
      await db.close();
    }
    const out = await cli(['up', root, '--db', url, '-v']);
    expect(out.code).toBe(1);
    expect(out.stdout + out.stderr).not.toContain(PASSWORD);
  });
});

describe('TLS', () => {
  it('verify-full rejects a self-signed certificate with advice', async () => {
    const e = await connectError(at('postgres', PASSWORD, 'sslmode=verify-full'));
    expect(e.kind).toBe('tls');
    expect(e.message).toMatch(/TLS with 127\.0\.0\.1:\d+ failed: self.signed certificate/);
    expect(e.message).toMatch(/give the CA with sslrootcert=<file>, or use sslmode=require/);
  });

  it('verify-ca with the certificate as root connects; require encrypts without verifying', async () => {
    for (const q of [`sslmode=verify-ca&sslrootcert=${cluster.cert}`, 'sslmode=require']) {
      const db = await openDatabase(
        resolveConnection({ db: at('postgres', PASSWORD, q), embeddedRoot: '/x', env: {} }),
        { env: {} },
      );
      const c = await db.connect();
      const r = await c.query<{ ssl: boolean }>(
        'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );
      expect(r.rows).toEqual([{ ssl: true }]);
      await db.close();
    }
  });

  it('require against a server without TLS says so; prefer falls back to plain', async () => {
    const local = new URL((await import('./helpers/server')).ADMIN_URL);
    local.search = 'sslmode=require';
    const e = await connectError(local.toString());
    expect(e.kind).toBe('tls');
    expect(e.message).toMatch(/does not support TLS but sslmode=require requires it/);
    local.search = 'sslmode=prefer';
    const db = await openDatabase(
      resolveConnection({ db: local.toString(), embeddedRoot: '/x', env: {} }),
    );
    const c = await db.connect();
    expect((await c.query('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
    await db.close();
  });
});

describe('reachability, databases, privileges', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('a port nobody listens on is unreachable; an unknown host is named', async () => {
    const { createServer } = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const e = await connectError(`postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`);
    expect(e.kind).toBe('unreachable');
    expect(e.message).toBe(
      `cannot connect to 127.0.0.1:${port}: connection refused (is PostgreSQL running and listening there?)`,
    );
    const dns = await connectError(
      'postgres://postgres@no-such-host.invalid/postgres?connect_timeout=5',
    );
    expect(dns.kind).toBe('unreachable');
    expect(dns.message).toMatch(/host "no-such-host\.invalid" not found/);
  });

  it('a missing database is named', async () => {
    const url = new URL(t.url);
    url.pathname = '/pgmig_no_such_db';
    const e = await connectError(url.toString());
    expect(e.kind).toBe('missing-database');
    expect(e.message).toMatch(
      /database "pgmig_no_such_db" does not exist on 127\.0\.0\.1:5432: create it/,
    );
  });

  it('a role without the privilege to create tables gets a privileges failure', async () => {
    await initParser();
    const role = `${t.name}_ro`;
    await admin(`CREATE ROLE ${role} LOGIN`);
    try {
      const url = new URL(t.url);
      url.username = role;
      const root = fixture('dbmate');
      const db = await openDatabase(
        resolveConnection({ db: url.toString(), embeddedRoot: root, env: {} }),
      );
      try {
        const r = await new Runner({ folder: loadFolder(root), db }).up();
        expect(r.failure).toMatchObject({ kind: 'privileges', code: '42501' });
        expect(r.failure?.message).toMatch(/permission denied for schema public/);
        expect(r.done).toEqual([]);
      } finally {
        await db.close();
      }
    } finally {
      await admin(`DROP OWNED BY ${role}`, undefined, t.name).catch(() => {});
      await admin(`DROP ROLE ${role}`);
    }
  });
});

describe('which database', () => {
  it('--db, then DATABASE_URL, then .env, then the embedded database in the folder', () => {
    const root = writeFolder({
      '.env': 'export DATABASE_URL="postgres://envfile@db.example:6543/app"\n',
    });
    const base = { embeddedRoot: join(root, 'migrations'), workspaceRoot: root };
    expect(resolveConnection({ ...base, env: {} })).toMatchObject({
      kind: 'server',
      source: '.env',
      label: 'envfile@db.example:6543/app',
    });
    expect(resolveConnection({ ...base, env: { DATABASE_URL: 'postgres://u@h/d' } })).toMatchObject(
      { source: 'DATABASE_URL', label: 'u@h:5432/d' },
    );
    expect(
      resolveConnection({ ...base, db: 'memory', env: { DATABASE_URL: 'postgres://u@h/d' } }),
    ).toMatchObject({ kind: 'memory' });
    writeFileSync(join(root, '.env'), '# nothing here\n');
    expect(resolveConnection({ ...base, env: {} })).toMatchObject({
      kind: 'embedded',
      source: 'default',
      dir: join(root, 'migrations', '.pgmig'),
    });
    expect(() =>
      resolveConnection({
        ...base,
        db: 'prod',
        named: [{ name: 'staging', url: 'postgres://s@h/d' }],
        env: {},
      }),
    ).toThrow(
      "unknown connection 'prod': give a postgres:// URL, memory, embedded, or one of the named connections: staging",
    );
  });

  it('pgmig.json connections are used by name, and a password in them is refused', async () => {
    await initParser();
    const t = await createDatabase();
    try {
      const root = fixture('goose');
      const url = new URL(t.url);
      writeFileSync(
        join(root, 'pgmig.json'),
        JSON.stringify({
          connections: {
            local: {
              host: url.hostname,
              port: Number(url.port),
              database: t.name,
              user: 'postgres',
              sslmode: 'disable',
            },
          },
          runner: { lockTimeout: '2s' },
        }),
      );
      const r = await cli(['up', root, '--db', 'local']);
      expect(r.stderr).toContain(`local (postgres@127.0.0.1:5432/${t.name})`);
      expect(r.code).toBe(0);
      expect(await t.query('SELECT count(*)::int AS n FROM goose_db_version')).toEqual([{ n: 4 }]);
      writeFileSync(
        join(root, 'pgmig.json'),
        JSON.stringify({ connections: { local: { url: `postgres://postgres:${PASSWORD}@h/d` } } }),
      );
      const bad = await cli(['status', root, '--db', 'local']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(
        /connections\.local\.url contains a password; remove it from the settings/,
      );
      expect(bad.stderr).not.toContain(PASSWORD);
    } finally {
      await t.drop();
    }
  });
});
