/**
 * Worker threads share the folders out between them (cli/parallel.ts); the report must be the
 * same, byte for byte, as linting everything on one thread. Runs the built bundle.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusProjects, projectDirs } from './corpus';

const cli = resolve(__dirname, '../../dist/cli.js');

function lint(threads: number, dirs: string[]) {
  const r = spawnSync(process.execPath, [cli, 'lint', ...dirs, '--format', 'json', '--no-cache'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, PGMIG_LINT_THREADS: String(threads) },
  });
  return r;
}

describe('linting on worker threads', () => {
  it.skipIf(!existsSync(cli))('gives the same report as one thread', () => {
    const dirs = corpusProjects()
      .filter((p) => ['rust-lang/crates.io', 'ory/hydra', 'authelia/authelia'].includes(p.repo))
      .flatMap(projectDirs);
    expect(dirs.length).toBe(3);
    const one = lint(1, dirs);
    const three = lint(3, dirs);
    expect(one.status).toBe(1);
    expect(three.status).toBe(one.status);
    expect(JSON.parse(one.stdout).length).toBeGreaterThan(100);
    expect(three.stdout).toBe(one.stdout);
  });
});
