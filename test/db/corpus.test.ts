/**
 * Real projects from the shared corpus (used by path): crates.io's diesel migrations and
 * Authelia's golang-migrate migrations applied, rolled back and re-applied on both databases;
 * Harbor's up-only folder; Flyway and Prisma folders, whose history pgmig only reads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadFolder } from '../../server/src/folder/load';
import { initParser } from '../../server/src/parser/parse';
import { Runner } from '../../server/src/runner/runner';
import { corpusDir, cratesIo, removeTempDirs } from './helpers/folders';
import { closeTargets, openTarget, TARGETS } from './helpers/targets';

afterAll(async () => {
  await closeTargets();
  removeTempDirs();
});

describe.each(TARGETS)('on the %s database', (kind) => {
  it('crates.io (diesel, 285 migrations): up, down 10, up again, redo', async () => {
    await initParser();
    const root = cratesIo();
    const folder = loadFolder(root);
    expect(folder.format).toBe('diesel');
    expect(folder.migrations).toHaveLength(285);
    const t = await openTarget(kind, root, true);
    try {
      const runner = new Runner({ folder, db: t.db });
      const up = await runner.up();
      expect(up.failure).toBeUndefined();
      expect(up.done).toHaveLength(285);
      expect(await t.query('SELECT count(*)::int AS n FROM __diesel_schema_migrations')).toEqual([
        { n: 285 },
      ]);
      // diesel's versions: the directory name before "_", dashes removed
      const newest = await t.query<{ version: string }>(
        'SELECT max(version) AS version FROM __diesel_schema_migrations',
      );
      expect(newest).toEqual([{ version: folder.migrations[284].version.replace(/-/g, '') }]);

      const down = await runner.down({ count: 10 });
      expect(down.failure).toBeUndefined();
      expect(down.done.map((d) => d.version)).toEqual(
        folder.migrations
          .slice(275)
          .map((m) => m.version)
          .reverse(),
      );
      const status = await runner.status();
      expect(status.entries.filter((e) => e.state === 'pending').map((e) => e.version)).toEqual(
        folder.migrations.slice(275).map((m) => m.version),
      );
      expect((await runner.up()).done).toHaveLength(10);
      const redo = await runner.redo();
      expect(redo.failure).toBeUndefined();
      expect(redo.done.map((d) => d.direction)).toEqual(['down', 'up']);
      expect((await runner.status()).entries.every((e) => e.state === 'applied')).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('Authelia (golang-migrate): up, then down to nothing', async () => {
    await initParser();
    const folder = loadFolder(corpusDir('authelia__authelia/internal/storage/migrations/postgres'));
    expect(folder.format).toBe('golang-migrate');
    const t = await openTarget(kind, folder.root, true);
    try {
      const runner = new Runner({ folder, db: t.db });
      const up = await runner.up();
      expect(up.failure).toBeUndefined();
      expect(up.done).toHaveLength(folder.migrations.length);
      const last = folder.migrations[folder.migrations.length - 1];
      expect(await t.query('SELECT version::text AS v, dirty FROM schema_migrations')).toEqual([
        { v: BigInt(last.version).toString(), dirty: false },
      ]);
      const down = await runner.down({ to: '0' });
      expect(down.failure).toBeUndefined();
      expect(down.done).toHaveLength(folder.migrations.length);
      expect(await t.query('SELECT * FROM schema_migrations')).toEqual([]);
      const left = await t.query<{ n: string }>(
        "SELECT tablename AS n FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'pgmig_history', 'pgmig_lock')",
      );
      expect(left).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('on the server database', () => {
  it('Harbor (golang-migrate, up only): applies, and refuses to roll back without DOWN files', async () => {
    await initParser();
    const folder = loadFolder(corpusDir('goharbor__harbor/make/migrations/postgresql'));
    const t = await openTarget('server', folder.root);
    try {
      const runner = new Runner({ folder, db: t.db });
      const up = await runner.up();
      expect(up.failure).toBeUndefined();
      expect(up.done).toHaveLength(39);
      const down = await runner.down();
      expect(down.failure).toMatchObject({ kind: 'plan' });
      expect(down.failure?.message).toMatch(
        /^migration 0190 \(2\.16\.0_schema\) has no DOWN section: it cannot be rolled back$/,
      );
    } finally {
      await t.close();
    }
  });

  it.each([
    [
      'kestra-io__kestra/jdbc-postgres/src/main/resources/migrations/postgres',
      'flyway',
      'flyway_schema_history',
    ],
    [
      'triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations',
      'prisma',
      '_prisma_migrations',
    ],
  ])('%s: status reads %s history; runs are refused', async (dir, runner, table) => {
    await initParser();
    const folder = loadFolder(corpusDir(dir));
    expect(folder.format).toBe(runner);
    const t = await openTarget('server', folder.root);
    try {
      const r = new Runner({ folder, db: t.db });
      const status = await r.status();
      expect(status.history).toEqual({ runner, table, writable: false, exists: false });
      expect(status.entries.every((e) => e.state === 'pending')).toBe(true);
      const up = await r.up();
      expect(up.failure?.kind).toBe('read-only');
      expect(up.failure?.message).toContain(`does not write it: run ${runner} itself`);
    } finally {
      await t.close();
    }
  });

  it('reads a Flyway history: applied, failed, changed after apply, missing file', async () => {
    await initParser();
    const folder = loadFolder(
      corpusDir('kestra-io__kestra/jdbc-postgres/src/main/resources/migrations/postgres'),
    );
    const { flywayChecksum } = await import('../../server/src/runner/history/checksums');
    const t = await openTarget('server', folder.root);
    try {
      const [m1, m2, m3] = folder.migrations;
      await t.query(`CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200),
        type varchar(20), script varchar(1000), checksum int, installed_by varchar(100), installed_on timestamp DEFAULT now(),
        execution_time int, success boolean)`);
      const row = (rank: number, version: string, checksum: string, success: boolean) =>
        t.query(
          "INSERT INTO flyway_schema_history VALUES ($1, $2, 'd', 'SQL', 's', $3, 'me', now(), 12, $4)",
          [rank, version, checksum, success],
        );
      await row(1, m1.version, flywayChecksum(m1.files[0].text), true);
      await row(2, m2.version, String(Number(flywayChecksum(m2.files[0].text)) ^ 1), true);
      await row(3, m3.version, flywayChecksum(m3.files[0].text), false);
      await row(4, '999.1', '0', true);
      const status = await new Runner({ folder, db: t.db }).status();
      const byVersion = new Map(status.entries.map((e) => [e.version, e]));
      expect(byVersion.get(m1.version)).toMatchObject({ state: 'applied', durationMs: 12 });
      expect(byVersion.get(m2.version)?.state).toBe('changed-since-applied');
      expect(byVersion.get(m3.version)?.state).toBe('failed');
      expect(byVersion.get('999.1')?.state).toBe('missing-file');
      expect(status.entries[status.entries.length - 1].version).toBe('999.1');
    } finally {
      await t.close();
    }
  });
});
