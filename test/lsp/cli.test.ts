/**
 * `pgmig lsp`: the same server from the command line, over stdio, for editors other than VS Code.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFolder } from '../unit/helpers/lint';
import { ROOT, TestClient, withCode } from './client';

const CLI = join(ROOT, 'dist/cli.js');

let client: TestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

describe('pgmig lsp', () => {
  it('serves diagnostics over stdio and exits 0 after shutdown and exit', async () => {
    const root = writeFolder({
      '20240101000000_users.sql': '-- +goose Up\nCREATE TABLE users (id int, email text);\n',
      '20240102000000_index.sql': '-- +goose Up\nCREATE INDEX users_email_idx ON users (email);\n',
    });
    client = await TestClient.start({ root, command: [CLI, 'lsp', '--stdio'] });
    const ds = await client.open(join(root, '20240102000000_index.sql'));
    expect(withCode(ds, 'require-concurrent-index-creation')).toHaveLength(1);
    const exited = new Promise<number | null>((resolve) => client!.process.once('exit', resolve));
    await client.connection.sendRequest('shutdown');
    await client.connection.sendNotification('exit');
    expect(await exited).toBe(0);
  });

  it('explains itself and refuses unknown arguments', () => {
    const help = spawnSync(process.execPath, [CLI, 'lsp', '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: pgmig lsp/);
    const bad = spawnSync(process.execPath, [CLI, 'lsp', '--tcp'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown argument '--tcp'/);
    const listed = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    expect(listed.stdout).toMatch(/lsp \[--stdio\]\s+run the language server/);
  });

  it('ends when its input closes', async () => {
    const root = writeFolder({ '001.sql': 'SELECT 1;\n' });
    client = await TestClient.start({ root, command: [CLI, 'lsp'] });
    const exited = new Promise<number | null>((resolve) => client!.process.once('exit', resolve));
    client.process.stdin.end();
    expect(typeof (await exited)).toBe('number');
  });
});
