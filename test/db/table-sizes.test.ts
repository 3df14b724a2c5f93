/**
 * `pgmig lint --db`: findings weighed by the real tables of a server — estimated rows and size
 * from its catalog (partitions summed), what the lock means at that size. Only a server is
 * accepted, and a server that cannot be reached is a clear error, never a password in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../unit/cli/run';
import { tableSizes } from '../../server/src/trace/size';
import { removeTempDirs } from './helpers/folders';
import { createDatabase, type TestDatabase } from './helpers/server';
import { writeFolder } from './helpers/write';
import pg from 'pg';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { RunnerWeighRequest } from '../../server/src/protocol/runner';
import { TestClient } from '../lsp/client';

let t: TestDatabase;
beforeAll(async () => {
  t = await createDatabase();
  await t.query(`CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100))`);
  await t.query(
    `INSERT INTO users SELECT g, 'user' || g || '@example.com' FROM generate_series(1, 50000) g`,
  );
  await t.query(`CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at)`);
  await t.query(
    `CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
  );
  await t.query(
    `CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')`,
  );
  await t.query(
    `INSERT INTO events SELECT g, date '2024-01-01' + (g % 700) FROM generate_series(1, 7000) g`,
  );
  await t.query(`ANALYZE`);
});

afterAll(async () => {
  await t?.drop();
  removeTempDirs();
});

const FOLDER = {
  '20240101000000_users.sql':
    '-- +goose Up\nCREATE TABLE users (id bigint PRIMARY KEY, email varchar(100));\n',
  '20240102000000_events.sql':
    '-- +goose Up\nCREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);\n',
  '20240103000000_change.sql':
    "-- +goose Up\nSET lock_timeout = '2s';\nALTER TABLE users ALTER COLUMN email TYPE int USING 0;\nCREATE INDEX events_at_idx ON events (at);\n",
};

interface JsonFinding {
  rule: string;
  severity: string;
  message: string;
}

function findings(stdout: string): JsonFinding[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l.trim().replace(/,$/, '')) as JsonFinding);
}

describe('pgmig lint --db', () => {
  it('reads every table of the server with partitions summed', async () => {
    const c = new pg.Client({ connectionString: t.url });
    await c.connect();
    try {
      const sizes = await tableSizes(c);
      const users = sizes.find((s) => s.table === 'public.users')!;
      expect(users.estimatedRows).toBe(50000);
      expect(users.totalBytes).toBeGreaterThan(users.heapBytes);
      const events = sizes.find((s) => s.table === 'public.events')!;
      expect(events.estimatedRows).toBe(7000);
      expect(events.heapBytes).toBeGreaterThan(0);
      expect(sizes.some((s) => s.table.startsWith('pg_catalog.'))).toBe(false);
    } finally {
      await c.end();
    }
  });

  it('weighs the findings of size-bound rules by those tables', async () => {
    const root = writeFolder(FOLDER);
    const plain = await cli(['lint', root, '--format', 'json', '--no-cache']);
    const r = await cli(['lint', root, '--format', 'json', '--db', t.url]);
    expect(r.stderr).toMatch(/findings weighed by the sizes of \d+ tables on /);
    expect(r.stderr).not.toContain(t.url);
    const type = findings(r.stdout).find((f) => f.rule === 'changing-column-type')!;
    expect(type.message).toMatch(
      /On the connected database, users: ~50 k rows, [\d.]+ MB — this rewrite holds ACCESS EXCLUSIVE for under a second\.$/,
    );
    expect(type.severity).toBe('warning');
    const index = findings(r.stdout).find((f) => f.rule === 'require-concurrent-index-creation')!;
    expect(index.message).toMatch(/events: ~7\.0 k rows, .* — this index build holds SHARE/);
    // the same findings as without --db, only weighed
    expect(findings(r.stdout).map((f) => f.rule)).toEqual(
      findings(plain.stdout).map((f) => f.rule),
    );
    expect(findings(plain.stdout).some((f) => /connected database/.test(f.message))).toBe(false);
  });

  it('refuses the embedded database and says why an unreachable server fails', async () => {
    const root = writeFolder(FOLDER);
    const embedded = await cli(['lint', root, '--db', 'embedded']);
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toMatch(/--db weighs findings by the tables of a real server/);
    const down = await cli([
      'lint',
      root,
      '--db',
      'postgres://me:s3cret-pw@127.0.0.1:1/nowhere?connect_timeout=2',
    ]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^pgmig: .*127\.0\.0\.1:1/m);
    expect(down.stderr + down.stdout).not.toContain('s3cret-pw');
  });
});

describe('weighing in the editor', () => {
  it('weighs the diagnostics by the connection the editor gives, until it takes it back', async () => {
    const root = writeFolder(FOLDER);
    const client = await TestClient.start({ root });
    try {
      const file = join(root, '20240103000000_change.sql');
      const weighedOf = (ds: Array<{ code?: unknown; message: string }>) =>
        ds.filter((d) => /On the connected database/.test(d.message)).map((d) => d.code);
      expect(weighedOf(await client.open(file))).toEqual([]);
      const weighed = client.nextDiagnostics(file, (p) => weighedOf(p.diagnostics).length > 0);
      const r = await client.connection.sendRequest(RunnerWeighRequest, {
        target: { folder: root, connection: { url: t.url } },
      });
      expect(r.tables).toBeGreaterThanOrEqual(3);
      expect(r.label).toContain(t.name);
      const ds = await weighed;
      expect(weighedOf(ds)).toContain('changing-column-type');
      const type = ds.find((d) => d.code === 'changing-column-type')!;
      expect(type.message).toMatch(/users: ~50 k rows/);
      const hover: Hover | null = await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri: pathToFileURL(file).toString() },
        position: { line: 2, character: 8 },
      });
      expect((hover?.contents as MarkupContent).value).toMatch(
        /\*\*On the connected database:\*\* users: ~50 k rows, [\d.]+ MB — this rewrite holds ACCESS EXCLUSIVE for under a second\./,
      );
      const plain = client.nextDiagnostics(file, (p) => weighedOf(p.diagnostics).length === 0);
      await client.connection.sendRequest(RunnerWeighRequest, {
        target: { folder: root, connection: 'embedded' },
      });
      expect((await plain).map((d) => d.code)).toEqual(ds.map((d) => d.code));
    } finally {
      await client.stop();
    }
  });
});
