/**
 * Apply, status, down, redo on a folder of every format pgmig writes history for, against the
 * real server and the embedded database, checking the history rows each runner itself writes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadFolder } from '../../server/src/folder/load';
import { initParser } from '../../server/src/parser/parse';
import { Runner } from '../../server/src/runner/runner';
import { fixture, removeTempDirs } from './helpers/folders';
import { closeTargets, openTarget, TARGETS, type Target } from './helpers/targets';

interface Case {
  format: string;
  /** The runner's own history, as that runner writes it, after each of the three applies. */
  history: string;
  after: [unknown[], unknown[], unknown[]];
  empty: unknown[];
}

const CASES: Case[] = [
  {
    format: 'goose',
    history: 'SELECT version_id::int AS v, is_applied AS a FROM goose_db_version ORDER BY id',
    after: [
      [
        { v: 0, a: true },
        { v: 1, a: true },
      ],
      [
        { v: 0, a: true },
        { v: 1, a: true },
        { v: 2, a: true },
      ],
      [
        { v: 0, a: true },
        { v: 1, a: true },
        { v: 2, a: true },
        { v: 3, a: true },
      ],
    ],
    empty: [{ v: 0, a: true }],
  },
  {
    format: 'dbmate',
    history: 'SELECT version AS v FROM schema_migrations ORDER BY version',
    after: [
      [{ v: '20240101000001' }],
      [{ v: '20240101000001' }, { v: '20240101000002' }],
      [{ v: '20240101000001' }, { v: '20240101000002' }, { v: '20240101000003' }],
    ],
    empty: [],
  },
  {
    format: 'golang-migrate',
    history: 'SELECT version::int AS v, dirty AS d FROM schema_migrations',
    after: [[{ v: 1, d: false }], [{ v: 2, d: false }], [{ v: 3, d: false }]],
    empty: [],
  },
  {
    format: 'diesel',
    history: 'SELECT version AS v FROM __diesel_schema_migrations ORDER BY version',
    after: [
      [{ v: '20240101000001' }],
      [{ v: '20240101000001' }, { v: '20240101000002' }],
      [{ v: '20240101000001' }, { v: '20240101000002' }, { v: '20240101000003' }],
    ],
    empty: [],
  },
  {
    format: 'node-pg-migrate',
    history: 'SELECT name AS v FROM pgmigrations ORDER BY run_on, id',
    after: [
      [{ v: '1700000000001_users' }],
      [{ v: '1700000000001_users' }, { v: '1700000000002_posts' }],
      [
        { v: '1700000000001_users' },
        { v: '1700000000002_posts' },
        { v: '1700000000003_posts_user_idx' },
      ],
    ],
    empty: [],
  },
  {
    format: 'plain',
    history: 'SELECT name AS v FROM migrations ORDER BY id',
    after: [
      [{ v: '001_users.sql' }],
      [{ v: '001_users.sql' }, { v: '002_posts.sql' }],
      [{ v: '001_users.sql' }, { v: '002_posts.sql' }, { v: '003_posts_user_idx.sql' }],
    ],
    empty: [],
  },
];

async function schema(t: Target): Promise<string[]> {
  const rels = await t.query<{ n: string }>(
    `SELECT c.relname || ':' || c.relkind::text || CASE WHEN i.indisvalid = false THEN ':invalid' ELSE '' END AS n
       FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
       LEFT JOIN pg_index i ON i.indexrelid = c.oid
      WHERE s.nspname = 'public' AND c.relname IN ('users', 'posts', 'posts_user_id_idx')
      ORDER BY 1`,
  );
  return rels.map((r) => r.n);
}

afterAll(async () => {
  await closeTargets();
  removeTempDirs();
});

describe.each(TARGETS)('on the %s database', (kind) => {
  describe.each(CASES)('$format', (c) => {
    it('applies, reports status, rolls back, redoes, writing the runner history', async () => {
      await initParser();
      const root = fixture(c.format);
      const folder = loadFolder(root);
      expect(folder.format).toBe(c.format);
      const t = await openTarget(kind, root);
      try {
        const runner = new Runner({ folder, db: t.db });
        const states = async () => (await runner.status()).entries.map((e) => e.state);
        expect(await states()).toEqual(['pending', 'pending', 'pending']);

        const first = await runner.up({ to: folder.migrations[0].version });
        expect(first.failure).toBeUndefined();
        expect(first.done.map((d) => d.version)).toEqual([folder.migrations[0].version]);
        expect(await t.query(c.history)).toEqual(c.after[0]);

        const all = await runner.up();
        expect(all.failure).toBeUndefined();
        expect(all.done).toHaveLength(2);
        expect(await t.query(c.history)).toEqual(c.after[2]);
        expect(await schema(t)).toEqual(['posts:r', 'posts_user_id_idx:i', 'users:r']);
        const status = await runner.status();
        expect(status.entries.map((e) => e.state)).toEqual(['applied', 'applied', 'applied']);
        expect(status.history).toMatchObject({
          runner: c.format === 'plain' ? 'plain' : c.format,
          exists: true,
        });

        const down = await runner.down();
        expect(down.failure).toBeUndefined();
        expect(down.done.map((d) => [d.version, d.direction])).toEqual([
          [folder.migrations[2].version, 'down'],
        ]);
        expect(await t.query(c.history)).toEqual(c.after[1]);
        expect(await schema(t)).toEqual(['posts:r', 'users:r']);
        expect(await states()).toEqual(['applied', 'applied', 'pending']);

        const redo = await runner.redo();
        expect(redo.failure).toBeUndefined();
        expect(redo.done.map((d) => d.direction)).toEqual(['down', 'up']);
        expect(redo.done.map((d) => d.version)).toEqual([
          folder.migrations[1].version,
          folder.migrations[1].version,
        ]);
        expect(await states()).toEqual(['applied', 'applied', 'pending']);

        const none = await runner.down({ to: '0' });
        expect(none.failure).toBeUndefined();
        expect(none.done.map((d) => d.version)).toEqual([
          folder.migrations[1].version,
          folder.migrations[0].version,
        ]);
        expect(await t.query(c.history)).toEqual(c.empty);
        expect(await schema(t)).toEqual([]);
        expect(await states()).toEqual(['pending', 'pending', 'pending']);
      } finally {
        await t.close();
      }
    });
  });

  it('shows a file edited after it was applied as changed-since-applied, not a comment edit', async () => {
    await initParser();
    const root = fixture('dbmate');
    const t = await openTarget(kind, root);
    try {
      const { writeFileSync, readFileSync } = await import('node:fs');
      const file = `${root}/20240101000001_users.sql`;
      expect(
        (await new Runner({ folder: loadFolder(root), db: t.db }).up()).failure,
      ).toBeUndefined();
      writeFileSync(file, `-- a comment added later\n${readFileSync(file, 'utf8')}`);
      let status = await new Runner({ folder: loadFolder(root), db: t.db }).status();
      expect(status.entries[0].state).toBe('applied');
      writeFileSync(file, readFileSync(file, 'utf8').replace('email text', 'email varchar(320)'));
      status = await new Runner({ folder: loadFolder(root), db: t.db }).status();
      expect(status.entries.map((e) => e.state)).toEqual([
        'changed-since-applied',
        'applied',
        'applied',
      ]);
      // the side table can be turned off: then nothing tells the change
      status = await new Runner({
        folder: loadFolder(root),
        db: t.db,
        settings: { sideTable: false },
      }).status();
      expect(status.entries[0].state).toBe('applied');
    } finally {
      await t.close();
    }
  });

  it('lists applied migrations whose file is gone as missing-file', async () => {
    await initParser();
    const root = fixture('goose');
    const t = await openTarget(kind, root);
    try {
      expect(
        (await new Runner({ folder: loadFolder(root), db: t.db }).up()).failure,
      ).toBeUndefined();
      const { rmSync } = await import('node:fs');
      rmSync(`${root}/00002_posts.sql`);
      const status = await new Runner({ folder: loadFolder(root), db: t.db }).status();
      expect(status.entries.map((e) => [e.version, e.state])).toEqual([
        ['00001', 'applied'],
        ['2', 'missing-file'],
        ['00003', 'applied'],
      ]);
      // rolling back past it is refused before anything runs
      const down = await new Runner({ folder: loadFolder(root), db: t.db }).down({ count: 2 });
      expect(down.failure?.message).toMatch(/file is missing/);
      expect(down.done).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
