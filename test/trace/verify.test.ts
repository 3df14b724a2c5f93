/**
 * `pgmig verify`: folders whose DOWNs restore the schema pass; broken DOWNs are reported precisely,
 * at the DOWN statement (or DOWN marker) they concern, with exit code 1. On the embedded database
 * and on the real server, on hand-written folders and on a corpus project.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../server/src/verify/roundTripTypes';
import { CORPUS_DIR } from '../corpus/corpus';
import { cli } from '../unit/cli/run';
import { dbmate, makeFolder, requireServer, SERVER_URL } from './helpers';

const GOOD = {
  'db/migrations/20240101000000_users.sql': dbmate(
    'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255) NOT NULL);',
    'DROP TABLE users;',
  ),
  'db/migrations/20240102000000_orders.sql': dbmate(
    'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);\nCREATE INDEX orders_user_idx ON orders (user_id);',
    'DROP TABLE orders;',
  ),
  'db/migrations/20240103000000_fk.sql': dbmate(
    'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\nALTER TABLE users ADD COLUMN nickname text;',
    'ALTER TABLE users DROP COLUMN nickname;\nALTER TABLE orders DROP CONSTRAINT orders_user_fk;',
  ),
};

const BROKEN = {
  'db/migrations/001_users.sql': dbmate(
    'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(255), nickname text);',
    'DROP TABLE users;',
  ),
  // DOWN forgets the index (IF NOT EXISTS lets UP run again)
  'db/migrations/002_index.sql': dbmate(
    'CREATE INDEX IF NOT EXISTS users_email_idx ON users (email);',
    '-- nothing to undo?',
  ),
  // DOWN restores the wrong type
  'db/migrations/003_type.sql': dbmate(
    'ALTER TABLE users ALTER COLUMN email TYPE text;',
    'SELECT 1;\nALTER TABLE users ALTER COLUMN email TYPE varchar(100);',
  ),
  // DOWN does not bring the column back
  'db/migrations/004_drop.sql': dbmate(
    'ALTER TABLE users DROP COLUMN IF EXISTS nickname;',
    'SELECT 1;',
  ),
  // DOWN fails (inside its transaction: the folder goes on)
  'db/migrations/005_fails.sql': dbmate('CREATE TABLE t5 (a int);', 'DROP TABLE t5_typo;'),
  // DOWN leaves the table, so UP cannot run again: the folder stops here
  'db/migrations/006_again.sql': dbmate('CREATE TABLE audit (id int);', 'SELECT 1;'),
  'db/migrations/007_after.sql': dbmate('CREATE TABLE later (id int);', 'DROP TABLE later;'),
};

const folders: Array<{ cleanup(): void }> = [];
afterAll(() => folders.forEach((f) => f.cleanup()));

function folder(files: Record<string, string>): string {
  const f = makeFolder(files);
  folders.push(f);
  return f.root;
}

async function verifyJson(path: string, extra: string[] = []) {
  const r = await cli(['verify', path, '--format', 'json', ...extra]);
  expect(r.stderr).toBe('');
  return { code: r.code, result: JSON.parse(r.stdout) as VerifyResult };
}

function checkBroken(code: number, result: VerifyResult): void {
  expect(code).toBe(1);
  const by = new Map(result.migrations.map((m) => [m.version, m]));
  expect([...by.values()].map((m) => m.status)).toEqual([
    'restored',
    'differences',
    'differences',
    'differences',
    'down-failed',
    'up-again-failed',
    'skipped',
  ]);
  const index = by.get('002')!;
  expect(index.differences.map((d) => d.message)).toEqual([
    'index users_email_idx left behind by DOWN',
  ]);
  // no DOWN statement names it: the DOWN marker line
  expect(index.differences[0].range.start.line).toBe(3);

  const type = by.get('003')!;
  expect(type.differences.map((d) => d.message)).toEqual([
    'after DOWN: column users.email type character varying(255) restored as character varying(100)',
  ]);
  // the ALTER that restored the wrong type, not the SELECT before it
  expect(type.differences[0].range.start.line).toBe(5);
  expect(type.differences[0].file).toMatch(/003_type\.sql$/);

  expect(by.get('004')!.differences.map((d) => d.message)).toEqual([
    'column users.nickname not restored by DOWN',
  ]);
  const fails = by.get('005')!;
  expect(fails.failure).toMatchObject({ phase: 'down', code: '42P01' });
  expect(fails.failure!.message).toContain('t5_typo');
  expect(fails.failure!.range.start.line).toBe(4);

  const again = by.get('006')!;
  expect(again.differences.map((d) => d.message)).toEqual(['table audit left behind by DOWN']);
  expect(again.failure).toMatchObject({ phase: 'up-again', code: '42P07' });
  expect(again.failure!.range.start.line).toBe(1);
  expect(by.get('007')!.reason).toContain('UP of 006_again.sql fails after its DOWN');
}

describe('pgmig verify on the embedded database', { timeout: 180_000 }, () => {
  it('passes a folder whose DOWNs restore the schema', async () => {
    const root = folder(GOOD);
    const r = await cli(['verify', join(root, 'db/migrations')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 migration(s): 3 of 3 with a DOWN round-trip exactly');
  });

  it('reports each broken DOWN precisely and exits 1', async () => {
    const root = folder(BROKEN);
    const { code, result } = await verifyJson(join(root, 'db/migrations'));
    expect(result.server.embedded).toBe(true);
    checkBroken(code, result);
    const text = await cli(['verify', join(root, 'db/migrations')]);
    expect(text.stdout).toContain('002_index.sql:4:1: index users_email_idx left behind by DOWN');
    expect(text.stdout).toContain('7 migration(s): 1 of 6 with a DOWN round-trip exactly');
  });

  it('checks one file after replaying the migrations before it', async () => {
    const root = folder(BROKEN);
    const { code, result } = await verifyJson(join(root, 'db/migrations/003_type.sql'));
    expect(code).toBe(1);
    expect(result.replayed).toBe(2);
    expect(result.migrations.map((m) => [m.version, m.status])).toEqual([['003', 'differences']]);
  });

  it('places findings in the separate DOWN file of golang-migrate', async () => {
    const root = folder({
      'migrations/1_users.up.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\n',
      'migrations/1_users.down.sql': 'DROP TABLE users;\n',
      'migrations/2_email.up.sql':
        'CREATE UNIQUE INDEX users_email_key ON users (email);\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n',
      'migrations/2_email.down.sql': 'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;\n',
    });
    const { code, result } = await verifyJson(join(root, 'migrations'));
    expect(code).toBe(1);
    const [d] = result.migrations[1].differences;
    expect(d.message).toBe('index users_email_key left behind by DOWN');
    expect(d.file).toMatch(/2_email\.down\.sql$/);
  });

  it('refuses bad input clearly', async () => {
    const missing = await cli(['verify', '/nonexistent/x.sql']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory');
    const none = await cli(['verify']);
    expect(none.code).toBe(2);
    const empty = folder({ 'notes.txt': 'hello' });
    const r = await cli(['verify', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no migrations found');
  });

  it.runIf(CORPUS_DIR !== undefined)(
    'verifies a corpus project (authelia, golang-migrate pairs)',
    { timeout: 300_000 },
    async () => {
      const dir = join(CORPUS_DIR!, 'authelia__authelia/internal/storage/migrations/postgres');
      const { code, result } = await verifyJson(dir);
      expect(result.migrations).toHaveLength(26);
      // every UP applies in order; the DOWNs are checked one by one
      expect(
        result.migrations.filter((m) => m.status === 'up-failed' || m.status === 'skipped'),
      ).toEqual([]);
      const restored = result.migrations.filter((m) => m.status === 'restored').length;
      expect(restored).toBeGreaterThanOrEqual(20);
      for (const m of result.migrations)
        for (const d of [...m.differences, ...(m.failure ? [m.failure] : [])])
          expect(d.file).toMatch(/\.down\.sql$/);
      expect(code).toBe(restored === 26 ? 0 : 1);
    },
  );
});

describe('pgmig verify on the PostgreSQL server', { timeout: 180_000 }, () => {
  it('reports the same verdicts on PostgreSQL 15 in a scratch database it drops', async () => {
    await requireServer();
    const root = folder(BROKEN);
    const { code, result } = await verifyJson(join(root, 'db/migrations'), ['--db', SERVER_URL]);
    expect(result.server.embedded).toBe(false);
    expect(result.server.versionNum).toBeGreaterThanOrEqual(150000);
    checkBroken(code, result);
    const pg = await import('pg');
    const c = new pg.default.Client({ connectionString: SERVER_URL });
    await c.connect();
    try {
      const left = await c.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'pgmig_scratch_' || $1 || '_%'",
        [String(process.pid)],
      );
      expect(left.rows).toEqual([]);
    } finally {
      await c.end();
    }
  });
});
