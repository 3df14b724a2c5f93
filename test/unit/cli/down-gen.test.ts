import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, writeFolder } from '../helpers/lint';
import { cli } from './run';

beforeAll(() => initParser());

const GOLANG = {
  '1_users.up.sql': 'CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100) NOT NULL);\n',
  '1_users.down.sql': 'DROP TABLE users;\n',
  '2_email.up.sql':
    'ALTER TABLE users ALTER COLUMN email TYPE text;\nCREATE INDEX users_email ON users (email);\n',
};

describe('pgmig down-gen', () => {
  it('prints the DOWN, built on the schema of the earlier migrations', async () => {
    const root = writeFolder(GOLANG);
    const r = await cli(['down-gen', '2_email.up.sql'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'DROP INDEX IF EXISTS users_email;',
        '-- public.users.email goes back from text to varchar(100): values that do not fit it make this fail',
        'ALTER TABLE users ALTER COLUMN email TYPE character varying(100);',
        '',
      ].join('\n'),
    );
    expect(existsSync(join(root, '2_email.down.sql'))).toBe(false);
  });

  it('--write creates the file the runner reads; a second --write refuses; --force replaces', async () => {
    const root = writeFolder(GOLANG);
    const w = await cli(['down-gen', '2_email.up.sql', '--write'], { cwd: root });
    expect(w.code).toBe(0);
    expect(w.stdout).toBe('pgmig: wrote 2_email.down.sql\n');
    const written = readFileSync(join(root, '2_email.down.sql'), 'utf8');
    expect(written).toContain('DROP INDEX IF EXISTS users_email;');
    const again = await cli(['down-gen', '2_email.up.sql', '--write'], { cwd: root });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already has a DOWN .*--force replaces it/);
    const forced = await cli(['down-gen', '2_email.up.sql', '--write', '--force'], { cwd: root });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe('pgmig: replaced the DOWN in 2_email.down.sql\n');
  });

  it('--write adds a DOWN section to a goose file, and says what it cannot undo', async () => {
    const root = writeFolder({
      '001_a.sql': '-- +goose Up\nCREATE TABLE a (x text);\n-- +goose Down\nDROP TABLE a;\n',
      '002_b.sql': '-- +goose Up\nALTER TABLE a DROP COLUMN x;\n',
    });
    const r = await cli(['down-gen', '002_b.sql', '--write'], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 TODO: what the DOWN cannot undo/);
    expect(readFileSync(join(root, '002_b.sql'), 'utf8')).toBe(
      '-- +goose Up\nALTER TABLE a DROP COLUMN x;\n\n-- +goose Down\n-- TODO(pgmig): DROP COLUMN cannot be undone: the values of public.a.x are gone; it is recreated empty\nALTER TABLE a ADD COLUMN x text;\n',
    );
  });

  it('a format without DOWN migrations: nothing written, exit 1', async () => {
    const root = writeFolder({
      '20200101000000_a/migration.sql': 'CREATE TABLE a (x text);\n',
    });
    const r = await cli(['down-gen', '20200101000000_a/migration.sql', '--write'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/prisma migrations keep no DOWN/);
  });

  it('usage errors exit 2 with a clear message', async () => {
    const root = writeFolder(GOLANG);
    expect((await cli(['down-gen'], { cwd: root })).stderr).toMatch(/exactly one migration file/);
    const missing = await cli(['down-gen', 'nope.sql'], { cwd: root });
    expect([missing.code, missing.stderr]).toEqual([2, 'pgmig down-gen: nope.sql: no such file\n']);
    expect((await cli(['down-gen', '2_email.up.sql', '--force'], { cwd: root })).code).toBe(2);
    expect((await cli(['down-gen', '--bogus'], { cwd: root })).code).toBe(2);
    const help = await cli(['down-gen', '--help'], { cwd: root });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: pgmig down-gen <file>/);
  });
});
