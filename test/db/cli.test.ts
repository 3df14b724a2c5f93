/**
 * The runner commands as users run them: in-process for output and exit codes, and the built
 * bundle (dist/cli.js) for the embedded database across processes and from a packaged layout.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../unit/cli/run';
import { loadFolder } from '../../server/src/folder/load';
import { initParser } from '../../server/src/parser/parse';
import { fixture, FIXTURES, removeTempDirs, tempDir } from './helpers/folders';
import { createDatabase, type TestDatabase } from './helpers/server';
import { writeFolder } from './helpers/write';

const BUNDLE = join(__dirname, '../../dist/cli.js');
const savedUrl = process.env.DATABASE_URL;

beforeAll(() => {
  if (!existsSync(BUNDLE))
    throw new Error('dist/cli.js is missing: run `npm run build` before the database tier');
  // the default connection must be the embedded database in these tests
  delete process.env.DATABASE_URL;
});

afterAll(() => {
  if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  removeTempDirs();
});

function runBundle(
  args: string[],
  cwd?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const p = spawn(process.execPath, [BUNDLE, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pgmig new', () => {
  const cases: Array<[string, RegExp[], string]> = [
    ['goose', [/^00004_add_flags\.sql$/], '-- +goose Up\n\n\n-- +goose Down\n\n'],
    ['dbmate', [/^2\d{13}_add_flags\.sql$/], '-- migrate:up\n\n\n-- migrate:down\n\n'],
    ['golang-migrate', [/^4_add_flags\.up\.sql$/, /^4_add_flags\.down\.sql$/], '\n'],
    [
      'diesel',
      [
        /^\d{4}-\d\d-\d\d-\d{6}_add_flags\/up\.sql$/,
        /^\d{4}-\d\d-\d\d-\d{6}_add_flags\/down\.sql$/,
      ],
      '\n',
    ],
    ['node-pg-migrate', [/^1\d{12}_add_flags\.sql$/], '-- Up Migration\n\n\n-- Down Migration\n\n'],
    ['plain', [/^004_add_flags\.sql$/], '-- UP\n\n\n-- DOWN\n\n'],
  ];
  it.each(cases)(
    '%s: the next migration in the folder convention, with empty UP and DOWN',
    async (format, names, text) => {
      const root = fixture(format);
      const r = await cli(['new', 'Add flags', root]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const made = r.stdout.trim().split('\n');
      expect(made).toHaveLength(names.length);
      made.forEach((f, i) =>
        expect(f.slice(f.indexOf(format) + format.length + 1)).toMatch(names[i]),
      );
      expect(readFileSync(join(process.cwd(), made[0]).replace(process.cwd(), ''), 'utf8')).toBe(
        text,
      );
      // the folder now has a fourth migration, last in runner order
      await initParser();
      expect(loadFolder(root).migrations.map((m) => m.name)).toEqual([
        'users',
        'posts',
        'posts_user_idx',
        'add_flags',
      ]);
    },
  );

  it('marks a migration to run outside a transaction in the format own way', async () => {
    const goose = fixture('goose');
    const g = await cli(['new', 'concurrent index', goose, '--no-transaction']);
    expect(readFileSync(g.stdout.trim(), 'utf8')).toMatch(
      /^-- \+goose NO TRANSACTION\n-- \+goose Up\n/,
    );
    const diesel = fixture('diesel');
    const d = await cli(['new', 'concurrent index', diesel, '--no-transaction']);
    const dir = join(d.stdout.trim().split('\n')[0], '..');
    expect(readFileSync(join(dir, 'metadata.toml'), 'utf8')).toBe('run_in_transaction = false\n');
  });

  it('starts an empty folder in the configured format; refuses an empty name', async () => {
    const root = tempDir();
    const r = await cli(['new', 'init', root, '--migration-format', 'dbmate']);
    expect(r.code).toBe(0);
    expect(readdirSync(root)).toEqual([expect.stringMatching(/^\d{14}_init\.sql$/)]);
    const bad = await cli(['new', '!!!', root]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('pgmig new: the migration needs a name made of letters or digits\n');
  });
});

describe('up, down, status on the server', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('logs statements with durations, reports failures with file and line, and exits 1', async () => {
    const root = writeFolder({
      '001_a.sql': '-- UP\nCREATE TABLE a (id int);\n-- DOWN\nDROP TABLE a;\n',
      '002_b.sql':
        '-- UP\nCREATE TABLE b (id int);\nINSERT INTO b VALUES (1);\nSELECT id FROM b WHERE nope;\n-- DOWN\nDROP TABLE b;\n',
    });
    const r = await cli(['up', root, '--db', t.url, '-v']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^applying 001 a\n +\d+ ms {2}.*001_a\.sql:2 {2}CREATE TABLE a \(id int\)\n {2}done in \d+ ms\napplying 002 b\n/,
    );
    expect(r.stderr).toContain(
      `002_b.sql:4:24: migration 002 (up): column "nope" does not exist [42703]\n  statement: SELECT id FROM b WHERE nope\n`,
    );
    const s = await cli(['status', root, '--db', t.url]);
    expect(s.stdout).toMatch(
      /^plain folder .*, history migrations\nSTATE +VERSION +NAME +APPLIED AT +FILE\napplied +001 +a +\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ +.*001_a\.sql\npending +002 +b +.*002_b\.sql\n1 applied, 1 pending\n$/,
    );
  });

  it('up <file> applies up to that file; down --dry-run prints and changes nothing', async () => {
    const root = fixture('goose');
    const t2 = await createDatabase();
    try {
      const up = await cli(['up', join(root, '00002_posts.sql'), '--db', t2.url]);
      expect(up.code).toBe(0);
      expect(up.stdout).toMatch(/2 migration\(s\) applied in/);
      const dry = await cli(['down', root, '--db', t2.url, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toBe('-- down 00002 posts (one transaction)\nDROP TABLE posts;\n');
      expect(await t2.query("SELECT to_regclass('posts') IS NOT NULL AS ok")).toEqual([
        { ok: true },
      ]);
      const json = await cli(['status', root, '--db', t2.url, '--format', 'json']);
      const s = JSON.parse(json.stdout);
      expect(s).toMatchObject({
        connection: { kind: 'server', scratch: false, source: '--db' },
        folder: { format: 'goose' },
        history: { runner: 'goose', table: 'goose_db_version', writable: true, exists: true },
        pending: 1,
      });
      expect(s.entries.map((e: { state: string }) => e.state)).toEqual([
        'applied',
        'applied',
        'pending',
      ]);
      expect(s.entries[0].appliedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    } finally {
      await t2.drop();
    }
  });

  it('a protected connection needs a confirmation naming it to roll back', async () => {
    const root = fixture('dbmate');
    const t2 = await createDatabase();
    try {
      const url = new URL(t2.url);
      writeFileSync(
        join(root, 'pgmig.json'),
        JSON.stringify({
          connections: {
            prod: {
              host: url.hostname,
              port: Number(url.port),
              database: t2.name,
              user: 'postgres',
              protected: true,
            },
          },
        }),
      );
      expect((await cli(['up', root, '--db', 'prod'])).code).toBe(0);
      const refused = await cli(['down', root, '--db', 'prod']);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe(
        '-- down 20240101000003 posts_user_idx (no transaction)\nDROP INDEX CONCURRENTLY posts_user_id_idx;\n',
      );
      expect(refused.stderr).toContain(
        'is a protected connection: rolling back there needs a confirmation naming it (confirm: "prod")',
      );
      expect((await cli(['down', root, '--db', 'prod', '--confirm', 'staging'])).code).toBe(1);
      const ok = await cli(['down', root, '--db', 'prod', '--confirm', 'prod']);
      expect(ok.code).toBe(0);
      expect(await t2.query("SELECT to_regclass('posts_user_id_idx') AS i")).toEqual([{ i: null }]);
    } finally {
      await t2.drop();
    }
  });

  it('usage errors exit 2 with a message', async () => {
    expect(await cli(['down', '-n', 'x'])).toMatchObject({
      code: 2,
      stderr: 'pgmig down: -n must be a positive whole number\n',
    });
    expect(await cli(['up', '/nonexistent/folder'])).toMatchObject({
      code: 2,
      stderr: 'pgmig: /nonexistent/folder: no such file or directory\n',
    });
    expect(await cli(['resolve', '1'])).toMatchObject({ code: 2 });
    expect((await cli(['up', '--db', 'mysql://x'])).stderr).toMatch(
      /unknown connection 'mysql:\/\/x'/,
    );
  });
});

describe('the embedded database from the CLI', () => {
  it('keeps its data in <folder>/.pgmig between runs, labelled as scratch', async () => {
    const root = fixture('dbmate');
    const up = await cli(['up', root]);
    expect(up.code).toBe(0);
    expect(up.stderr).toBe(
      `pgmig: embedded scratch database in ${join(root, '.pgmig')} — a scratch database, not your server (use --db or DATABASE_URL)\n`,
    );
    expect(readFileSync(join(root, '.pgmig/.gitignore'), 'utf8')).toBe(
      '# pgmig scratch database\n*\n',
    );
    const s = await cli(['status', root, '--format', 'json']);
    const status = JSON.parse(s.stdout);
    expect(status.connection).toMatchObject({ kind: 'embedded', scratch: true, source: 'default' });
    expect(status.entries.map((e: { state: string }) => e.state)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    expect(status.serverVersion).toMatch(/^18\./);
    // the folder's runner does not see the scratch data directory as a migration
    const lint = await cli(['lint', root, '--format', 'json']);
    expect(lint.stderr).toBe('');
  });

  it('two processes at once share it: each migration applied exactly once', async () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 6; i++)
      files[`0${i}_m.sql`] =
        `-- +goose Up\nCREATE TABLE t${i} (id int);\n-- +goose Down\nDROP TABLE t${i};\n`;
    const root = writeFolder(files);
    const [a, b] = await Promise.all([runBundle(['up', root]), runBundle(['up', root])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const applied = `${a.stdout}${b.stdout}`
      .split('\n')
      .filter((l) => l.startsWith('applying'))
      .sort();
    expect(applied).toEqual([1, 2, 3, 4, 5, 6].map((i) => `applying 0${i} m`));
    const s = await runBundle(['status', root, '--format', 'json']);
    expect(JSON.parse(s.stdout).entries.map((e: { state: string }) => e.state)).toEqual(
      Array(6).fill('applied'),
    );
    expect(existsSync(join(root, '.pgmig/server.json'))).toBe(false);
  });

  it('two processes at once on the server: each migration applied exactly once', async () => {
    const t = await createDatabase();
    try {
      const root = fixture('goose');
      const [a, b] = await Promise.all([
        runBundle(['up', root, '--db', t.url]),
        runBundle(['up', root, '--db', t.url]),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const applied = `${a.stdout}${b.stdout}`
        .split('\n')
        .filter((l) => l.startsWith('applying'))
        .sort();
      expect(applied).toEqual([
        'applying 00001 users',
        'applying 00002 posts',
        'applying 00003 posts_user_idx (no transaction)',
      ]);
      expect(
        await t.query('SELECT version_id::int AS v FROM goose_db_version ORDER BY id'),
      ).toEqual([{ v: 0 }, { v: 1 }, { v: 2 }, { v: 3 }]);
    } finally {
      await t.drop();
    }
  });

  it('runs from a packaged layout: the bundle finds PGlite and its extensions next to it', () => {
    const pkg = tempDir('pgmig-pkg-');
    cpSync(join(__dirname, '../../dist'), join(pkg, 'dist'), { recursive: true });
    const root = writeFolder({
      '001_ext.sql':
        '-- UP\nCREATE EXTENSION IF NOT EXISTS ltree;\nCREATE EXTENSION IF NOT EXISTS "uuid-ossp";\nCREATE TABLE tree (path ltree, id uuid DEFAULT uuid_generate_v4());\nINSERT INTO tree (path) VALUES (\'a.b.c\');\n-- DOWN\nDROP TABLE tree;\n',
    });
    const r = spawnSync(
      process.execPath,
      [join(pkg, 'dist/cli.js'), 'up', root, '--db', 'memory'],
      { encoding: 'utf8', cwd: pkg, timeout: 120_000 },
    );
    expect(r.stderr).toBe(
      'pgmig: in-memory scratch database (discarded after the run) — a scratch database, not your server (use --db or DATABASE_URL)\n',
    );
    expect(r.stdout).toMatch(/1 migration\(s\) applied/);
    expect(r.status).toBe(0);
    expect(readdirSync(join(FIXTURES, '..'))).toContain('fixtures');
  });
});
