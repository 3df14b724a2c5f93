import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { cli } from './run';

const CIC = 'require-concurrent-index-creation';

function folder(): string {
  const root = mkdtempSync(join(tmpdir(), 'pgmig-cache-'));
  mkdirSync(join(root, 'db'));
  writeFileSync(
    join(root, 'db', '001_init.sql'),
    '-- +goose Up\nCREATE TABLE t (id int);\n-- +goose Down\nDROP TABLE t;\n',
  );
  writeFileSync(
    join(root, 'db', '002_idx.sql'),
    '-- +goose Up\nCREATE INDEX i ON t (id);\n-- +goose Down\nDROP INDEX i;\n',
  );
  return root;
}

async function lint(root: string, ...extra: string[]) {
  const r = await cli(['lint', 'db', '--rule', CIC, '--format', 'json', '--stats', ...extra], {
    cwd: root,
  });
  const stats = JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('{"stats"'))!).stats;
  return { ...r, findings: JSON.parse(r.stdout), stats };
}

describe('lint cache', () => {
  // vitest.config turns the cache off for every other test
  const saved = process.env.PGMIG_CACHE;
  beforeEach(() => {
    delete process.env.PGMIG_CACHE;
  });
  afterAll(() => {
    process.env.PGMIG_CACHE = saved;
  });

  it('reuses a folder’s findings until a file under it changes', async () => {
    const root = folder();
    const first = await lint(root, '--cache-dir', '.cache');
    expect(first.stats.cached).toBe(0);
    expect(first.findings).toHaveLength(1);
    expect(readdirSync(join(root, '.cache', 'lint'))).toHaveLength(1);

    const second = await lint(root, '--cache-dir', '.cache');
    expect(second.stats.cached).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    expect(second.code).toBe(first.code);

    // the index becomes concurrent: the cached finding must not come back
    writeFileSync(
      join(root, 'db', '002_idx.sql'),
      '-- +goose Up\n-- +goose NO TRANSACTION\nCREATE INDEX CONCURRENTLY i ON t (id);\n-- +goose Down\nDROP INDEX i;\n',
    );
    const third = await lint(root, '--cache-dir', '.cache');
    expect(third.stats.cached).toBe(0);
    expect(third.findings).toHaveLength(0);
    expect(third.code).toBe(0);
  });

  it('a change of settings is a miss; --no-cache and PGMIG_CACHE=0 skip it', async () => {
    const root = folder();
    await lint(root, '--cache-dir', '.cache');
    expect((await lint(root, '--cache-dir', '.cache', '--pg-version', '12')).stats.cached).toBe(0);
    expect((await lint(root, '--cache-dir', '.cache', '--no-cache')).stats.cached).toBe(0);
    process.env.PGMIG_CACHE = '0';
    expect((await lint(root, '--cache-dir', '.cache')).stats.cached).toBe(0);
    delete process.env.PGMIG_CACHE;
    expect((await lint(root, '--cache-dir', '.cache')).stats.cached).toBe(0);
    expect((await lint(root, '--cache-dir', '.cache')).stats.cached).toBe(1);
  });

  it('an unwritable cache folder is no error', async () => {
    const root = folder();
    writeFileSync(join(root, 'blocker'), 'a file where the cache folder would go');
    const r = await lint(root, '--cache-dir', join('blocker', 'cache'));
    expect(r.findings).toHaveLength(1);
    expect(r.stderr).not.toMatch(/error/i);
  });
});
